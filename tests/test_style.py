"""`seloste check --style`: plain-language warnings per language, located to the word, off by default."""

import json
import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from conftest import MINIMAL

from generator.render import reading_minutes
from generator.style import sentences, text_findings

LANGS = ("fi", "sv", "en")

LONG_FI = " ".join(["Käsittelemme"] + ["tietoja"] * 24 + ["huolellisesti."])  # 26 words: over Finnish's 25

REGISTER = (
    MINIMAL
    + f"""\
introduction:
  fi: |
    Voit pyytää tietosi. Tietoja ei voi myydä. Saatamme luovuttaa tietoja kumppaneille.
    {LONG_FI}
  sv: Du kan begära dina uppgifter. Vi kan inte sälja dem. Eventuellt lämnar vi ut uppgifter.
  en: You may ask for your data. We may share data with partners. Data is collected, is stored and is deleted.
"""
)


def where(path: Path, phrase: str, word: str = "") -> str:
    """file:line:column of `word` (default: the phrase's start) in the first `phrase` of the file, counted there."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if phrase in line:
            return f"registers/{path.name}:{number}:{line.index(phrase) + phrase.index(word or phrase) + 1}"
    raise AssertionError(f"{phrase!r} is not in {path}")


def test_style_warnings_name_the_word_its_place_and_what_to_write(
    write: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    path = write("customer-register.yaml", REGISTER)
    plain = cli("check")
    assert plain.exit_code == 0 and "warning" not in plain.output  # off by default

    result = cli("check", "--style", "--format", "json")
    found = {
        (f"{p['file']}:{p['line']}:{p['column']}", p["field"], p["message"].split(" ")[0])
        for p in json.loads(result.output)["problems"]
    }
    assert found == {
        (where(path, "Saatamme"), "introduction.fi", "'Saatamme'"),
        (where(path, "Käsittelemme"), "introduction.fi", "this"),  # the long sentence, at its first word
        (where(path, "Eventuellt"), "introduction.sv", "'Eventuellt'"),
        (where(path, "We may", "may"), "introduction.en", "'may'"),
        (where(path, "is collected"), "introduction.en", "3"),  # the passive chain, at its first verb
    }, found
    # "Voit", "ei voi", "Du kan", "kan inte", "You may", MINIMAL's "ei voi tehdä" and "kan inte ingås":
    # rights granted or denied, not hedges.
    messages = json.loads(result.output)["problems"]
    hedge = next(p["message"] for p in messages if p["message"].startswith("'Saatamme'"))
    assert "WP260" in hedge and "Luovutamme tiedot" in hedge  # what to write instead, in the text's language
    chain = next(p["message"] for p in messages if p["message"].startswith("3 passive"))
    assert "'is collected', 'is stored', 'is deleted'" in chain and "We keep the data" in chain

    assert cli("check", "--style").exit_code == 0  # warnings
    assert cli("check", "--style", "--strict").exit_code == 1


def test_sentences_end_at_full_stops_but_not_after_abbreviations_and_at_list_items() -> None:
    text = "Luovutamme tiedot esim. Verohallinnolle. Toinen lause (Art. 6 kohta).\n- kohta yksi\n- kohta kaksi"
    assert [s for _, s in sentences(text)] == [
        "Luovutamme tiedot esim. Verohallinnolle.",
        "Toinen lause (Art. 6 kohta).",
        "- kohta yksi",
        "- kohta kaksi",
    ]


def test_clear_statements_are_not_hedges() -> None:
    clear = {
        "fi": "Voit tehdä valituksen. Rekisteröity voi kieltää markkinoinnin. Sopimusta ei voi tehdä. "
        "Tallenteita voi katsoa vain valvoja. Säilytämme tiedot, jotta voimme laskuttaa.",
        "sv": "Du kan klaga. Avtal kan inte ingås. Utan dem kan vi inte öppna kontot. "
        "Det kan du förbjuda när som helst.",
        "en": "You may lodge a complaint. Recordings may be viewed only by guards. We reply as soon as possible. "
        "Access is not possible without a key.",
    }
    assert {lang: text_findings(text, lang) for lang, text in clear.items()} == {"fi": [], "sv": [], "en": []}
    assert [m for _, m in text_findings("Tietoja voidaan luovuttaa mahdollisesti kumppaneille.", "fi")][0].startswith(
        "'voidaan'"
    )
    assert len(text_findings("Tietoja voidaan luovuttaa mahdollisesti kumppaneille.", "fi")) == 2


def test_a_reading_time_is_counted_from_the_notices_own_words_in_its_language() -> None:
    finnish = "<h2>Otsikko</h2><p>" + "sana " * 152 + "</p>"  # 153 words: one minute at Finnish's 153
    assert reading_minutes(finnish, "fi") == 1
    assert reading_minutes(finnish + "<p>lisää</p>", "fi") == 2
    assert reading_minutes(finnish, "en") == 1 and reading_minutes("<p></p>", "sv") == 1  # never zero


def test_every_page_shows_its_reading_time_in_its_language(
    write: Callable[..., Path], cli: Callable[..., Result], registers: Path
) -> None:
    write("customer-register.yaml", MINIMAL)
    assert cli("build", "--no-pdf").exit_code == 0
    output = registers.parent / "output"
    shown = {lang: (output / lang / "customer-register" / "index.html").read_text(encoding="utf-8") for lang in LANGS}
    labels = {"fi": r"Lukuaika noin (\d+) min", "sv": r"Lästid cirka (\d+) min", "en": r"Reading time about (\d+) min"}
    for lang, page in shown.items():
        minutes = re.search(labels[lang], page)
        assert minutes, lang
        article = page[page.index("<main>") : page.index("</main>")]  # the notice, as the reader reads it
        assert int(minutes.group(1)) == reading_minutes(article, lang) > 1  # the statutory texts alone take more
    assert "Lukuaika" not in (output / "fi" / "customer-register" / "fragment.html").read_text(encoding="utf-8")
