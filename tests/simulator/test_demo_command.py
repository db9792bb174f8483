"""The demo starts the simulated cluster with options its parser reads back exactly, whatever the random token."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.demo import simulator_arguments
from app.simulator.__main__ import parser

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("token", ["-dash-first_token", "--looks-like-an-option", "plain_TOKEN-123"])
def test_the_simulator_reads_back_every_option_the_demo_gives(token: str) -> None:
    arguments = simulator_arguments(scenario="default", speed=4.0, seed=11, token=token,
                                    kubeconfig=Path("/state/demo/kubeconfig"), log_level="DEBUG")  # fmt: skip
    parsed = parser().parse_args(arguments)
    assert parsed.token == token
    assert (parsed.scenario, parsed.speed, parsed.seed, parsed.port) == ("default", 4.0, 11, 0)
    assert (parsed.kubeconfig, parsed.log_level) == (Path("/state/demo/kubeconfig"), "DEBUG")
