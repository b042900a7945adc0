"""Plain chat text skips Markdown and bleach: it must come out exactly as if it had not."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.core import markup

CHAT = [
    "Buongiorno a tutti, ci vediamo domani alle 10.30 in sala riunioni.",
    "Perché no? L’ho già detto «ieri» al tavolo regionale…",
    "Grazie Elena! La Toscana porta il progetto sulle botteghe della salute (Firenze, Prato).",
    "Ok: 3/4 delle Regioni hanno firmato il Patto – mancano Molise e Basilicata.",
    "S|1769123456.123456|ab12cd34",
]
NOT_PLAIN = [
    "Vedi www.regione.piemonte.it per i dettagli",  # an address becomes a link
    "**politiche di prossimità**",
    "1. primo punto",
    "- un elenco",
    "Scrivi a @Elena Bianchi",
    "<script>alert(1)</script>",
    "a & b",
    "riga uno\nriga due",
    "nome_file",
    "# titolo",
]


@pytest.mark.parametrize("text", CHAT)
def test_chat_sentences_take_the_short_way(text):
    assert markup._PLAIN.fullmatch(text)
    assert markup.render_markdown(text) == markup._render_and_clean(text) == f"<p>{text}</p>"


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_text_with_markup_links_or_lines_goes_the_long_way(text):
    assert not markup._PLAIN.fullmatch(text)
    assert markup.render_markdown(text) == markup._render_and_clean(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(markup._PLAIN, fullmatch=True))
def test_any_text_the_short_way_accepts_renders_the_same_the_long_way(text):
    assert markup.render_markdown(text) == markup._render_and_clean(text)


# Letters, digits and every ASCII punctuation mark: whatever the short way accepts among them
# must agree with the long way too.
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("aAèZ09 .,;:!?'\"()%/|-_*#&<>[]`~=+@\\{}^$\n’«»–…")
                                + ["www.", ".it", "http://", "sala"]), min_size=1, max_size=30))
def test_random_punctuation_agrees_when_the_short_way_takes_it(pieces):
    text = "a" + "".join(pieces)  # the short way needs a letter first; the rest is random
    if markup._PLAIN.fullmatch(text):
        assert markup.render_markdown(text) == markup._render_and_clean(text)


# Every RENDERER_VERSION with the fingerprint of the configuration it names. Changing what the
# renderer can output without bumping the version would leave stored HTML as it was: bump
# RENDERER_VERSION and add its fingerprint here.
FINGERPRINTS = {1: "a4aa178f79c388453345672adf042e4ffda3e80c8994116e31c8b30fd8252b16"}


def renderer_fingerprint() -> str:
    import hashlib
    import json
    from importlib.metadata import version

    settings = {
        "tags": sorted(markup.ALLOWED_TAGS), "attributes": markup.ALLOWED_ATTRIBUTES,
        "protocols": sorted(markup.ALLOWED_PROTOCOLS), "markdown": markup.MARKDOWN_OPTIONS,
        "cleaner": markup.CLEANER_OPTIONS, "rel": markup.LINK_REL,
        "linkify_skip": sorted(markup.LINKIFY_SKIP_TAGS),
        "packages": {name: version(name) for name in ("markdown", "bleach")},
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def test_the_renderer_version_names_its_configuration():
    assert FINGERPRINTS.get(markup.RENDERER_VERSION) == renderer_fingerprint(), (
        "the renderer's configuration changed: bump RENDERER_VERSION and pin the new fingerprint")
