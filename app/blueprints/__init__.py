"""HTTP layer: one blueprint per area. Each route parses, authorizes (``@guard``), calls a service, shapes.

Each module has a ``create_blueprint(...)`` that takes the services its routes call; app/factory.py registers them
all. Routes never look a service up.
"""
