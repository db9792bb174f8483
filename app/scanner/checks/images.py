"""Images (docs/catalogue.md#images). Every image is parsed as in
docs/agent-scanner.md#image-references-and-trusted-registries; an unparseable reference is skipped."""

from __future__ import annotations

from app.kube.images import ImageRef, is_trusted, parse_image

from .base import PT_KINDS, Context, FindingDraft, KubeObject, check, container_finding, containers


def _images(obj: KubeObject) -> list[tuple[str, str, ImageRef, str | None]]:
    """(container, image as written, parsed reference, imagePullPolicy) for every checked container."""
    out = []
    for c in containers(obj):
        written = c.get("image")
        ref = parse_image(written)
        if ref is not None:
            out.append((str(c.get("name", "")), str(written), ref, c.get("imagePullPolicy")))
    return out


@check("image_tag_latest", PT_KINDS)
def image_tag_latest(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    hits = [(c, w) for c, w, ref, _ in _images(obj) if ref.mutable]
    return container_finding(
        "image_tag_latest",
        "medium",
        [c for c, _ in hits],
        lambda s: (
            f"{s} uses mutable image tag '{hits[0][1]}'"
            if len(hits) == 1
            else f"{s} use mutable image tags {', '.join(repr(w) for _, w in hits)}"
        ),
        "Pin a version tag or, better, a digest",
        "image",
        images=[w for _, w in hits],
    )


@check("untrusted_registry", PT_KINDS, needs=frozenset({"trusted_registries"}))
def untrusted_registry(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    hits = [(c, ref) for c, _, ref, _ in _images(obj) if not is_trusted(ref, ctx.trusted_registries)]
    if not hits:
        return None
    first = hits[0][1]
    return container_finding(
        "untrusted_registry",
        "medium",
        [c for c, _ in hits],
        lambda s: f"{s} pulls '{first.name}' from untrusted registry '{first.registry}'",
        "Use an image from a trusted registry, or add the registry to the trusted list (Security → Trusted registries)",
        "image",
        registry=first.registry,
        image=first.name,
        images=list(dict.fromkeys(ref.name for _, ref in hits)),
    )


@check("image_pull_policy", PT_KINDS)
def image_pull_policy(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    hits = [(c, w, p) for c, w, ref, p in _images(obj) if ref.mutable and p in ("IfNotPresent", "Never")]
    return container_finding(
        "image_pull_policy",
        "low",
        [c for c, _, _ in hits],
        lambda s: f"{s} uses imagePullPolicy {hits[0][2]} with mutable tag '{hits[0][1]}'; nodes may run a stale image",
        "Use imagePullPolicy: Always, or pin the image",
        "imagePullPolicy",
        images=[w for _, w, _ in hits],
    )


@check("image_digest_missing", PT_KINDS)
def image_digest_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    hits = [(c, w) for c, w, ref, _ in _images(obj) if ref.digest is None]
    return container_finding(
        "image_digest_missing",
        "info",
        [c for c, _ in hits],
        lambda s: (
            f"{s} image '{hits[0][1]}' is not pinned by digest"
            if len(hits) == 1
            else f"{s} images {', '.join(repr(w) for _, w in hits)} are not pinned by digest"
        ),
        "Reference the image by digest (image@sha256:…) so every node runs the same bytes",
        "image",
        images=[w for _, w in hits],
    )


CHECKS = [image_tag_latest, untrusted_registry, image_pull_policy, image_digest_missing]
