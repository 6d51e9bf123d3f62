"""Plain language (`seloste check --style`): what the Article 29 Working Party's transparency
guidelines (WP260 rev.01, on "clear and plain language") call poor practice, found in each
language of the registers' own texts and located to the word.

Three kinds of warning, each saying what to write instead:

- hedges: qualifiers such as "may", "might", "some", "often" and "possible", which WP260 asks
  to avoid because they leave the reader unsure whether the processing happens. A word that
  grants the reader a right ("voit", "you may", "du kan") or denies one ("ei voi", "kan inte",
  "may not") is a clear statement, not a hedge, and is left alone;
- very long sentences, which the reader must take apart to understand;
- chains of passive verbs, which hide who does what.

The style check reads the texts as written in the files (the `internal` block, never published,
is skipped); it never changes what `check` requires, and it is off unless asked for.
"""

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Level, Problem
from .load import FieldPath, LoadedFile, decode, format_path, load_file
from .project import find_folders
from .values import LANGUAGES

WP260 = "WP260 rev.01, clear and plain language"


@dataclass(frozen=True)
class Hedge:
    """A qualifier in one language, and what to write instead."""

    words: tuple[str, ...]
    instead: str


# The words are matched whole (so Finnish "voit", you can, is not "voi"), in any case.
HEDGES: dict[str, list[Hedge]] = {
    "fi": [
        Hedge(
            ("voi", "voidaan", "voimme", "voivat", "saattaa", "saattavat", "saatetaan", "saatamme"),
            "say what you do and when, e.g. 'Luovutamme tiedot Verohallinnolle, kun laki sitä edellyttää.'",
        ),
        Hedge(
            ("mahdollisesti", "mahdollinen", "mahdolliset", "mahdollisia", "mahdollisten", "mahdollisen", "usein"),
            "name the cases or the items themselves, e.g. 'Luovutamme tiedot perintätoimistolle, jos lasku on "
            "erääntynyt.'",
        ),
    ],
    "sv": [
        Hedge(
            ("kan",),
            "say what you do and when, e.g. 'Vi lämnar ut uppgifterna till Skatteförvaltningen när lagen kräver det.'",
        ),
        Hedge(
            ("eventuellt", "eventuell", "eventuella", "möjligen", "möjligtvis", "vissa", "ofta", "ibland"),
            "name the cases or the items themselves, e.g. 'Vi lämnar ut uppgifterna till en inkassobyrå om fakturan "
            "har förfallit.'",
        ),
    ],
    "en": [
        Hedge(
            ("may", "might", "could"),
            "say what you do and when, e.g. 'We disclose the data to the Tax Administration when the law requires it.'",
        ),
        Hedge(
            ("some", "possible", "possibly", "perhaps", "often", "certain"),
            "name the cases or the items themselves, e.g. 'We pass the data to a debt collection agency if an invoice "
            "is overdue.'",
        ),
    ],
}

# The words before a modal that make it a right of the reader or of the data subject ("you may
# lodge a complaint", "rekisteröity voi"), and after or before it that make it a denial ("ei voi").
RIGHT_HOLDERS = {
    "fi": {
        *("rekisteröity", "rekisteröidyt", "hakija", "hakijat", "asiakas", "asiakkaat", "jäsen", "jäsenet"),
        *("käyttäjä", "käyttäjät", "työntekijä", "työntekijät", "asukas", "asukkaat", "huoltaja", "huoltajat"),
        *("sinä", "te", "henkilö", "henkilöt", "asiakkaamme"),
    },
    "sv": {
        *("du", "ni", "de", "registrerade", "sökande", "kunden", "kunder", "kunderna", "medlemmen", "medlemmarna"),
        *("användaren", "användarna", "arbetstagaren", "arbetstagarna", "invånarna", "vårdnadshavaren"),
    },
    "en": {
        *(
            "you",
            "they",
            "subject",
            "subjects",
            "applicant",
            "applicants",
            "customer",
            "customers",
            "member",
            "members",
        ),
        *("user", "users", "employee", "employees", "resident", "residents", "guardian", "guardians"),
    },
}
NEGATIONS_BEFORE = {"fi": {"ei", "et", "en", "emme", "ette", "eivät"}, "sv": {"inte"}, "en": {"not"}}
NEGATIONS_AFTER = {"fi": set(), "sv": {"inte", "ej", "aldrig"}, "en": {"not", "never"}}
MODALS = {"fi": {"voi", "voivat", "voidaan", "voimme"}, "sv": {"kan"}, "en": {"may", "might", "could"}}
# A modal followed in its sentence by "only" sets a limit ("may be viewed only by"), and one in a
# sentence about "any time" grants a right; after "jotta" or "att" it states a purpose ("so that
# we can"). Each is a clear statement.
LIMITS = {"fi": {"vain", "ainoastaan"}, "sv": {"endast", "bara", "enbart"}, "en": {"only"}}
ANY_TIME = {"fi": ("milloin tahansa",), "sv": ("när som helst",), "en": ("any time",)}
PURPOSE = {"fi": {"jotta"}, "sv": {"att"}, "en": set()}
# "as soon as possible", "niin pian kuin mahdollista", "så snart som möjligt": a promise, not a hedge.
AS_POSSIBLE = {"fi": "kuin", "sv": "som", "en": "as"}

# A sentence longer than this many words is very long: plain-language guides aim at 15 to 20 words
# on average; these limits flag only the sentences far past that. Finnish words carry more (case
# endings, compounds), so its limit is lower.
LONG_SENTENCE = {"fi": 25, "sv": 30, "en": 30}
PASSIVE_CHAIN = 3  # passive verbs in one sentence: from this many on, who does what is lost

PASSIVES = {
    # Present passive: käsitellään, luovutetaan, säilytetään, kerätään, voidaan, tehdään.
    "fi": re.compile(r"\b\w{2,}(?:[tdlnr](?:aan|ään)|ttiin)\b", re.IGNORECASE),
    # The s-passive: behandlas, sparas, lämnas, raderades, sparats (not the genitive "uppgifternas").
    "sv": re.compile(r"\b\w{3,}(?<!er|ar|or|en)(?:as|ades|ats)\b", re.IGNORECASE),
    # A form of "be" and a past participle: is kept, are disclosed, was collected.
    "en": re.compile(
        r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?:\w+ed|kept|held|sent|made|done|given|taken|shown|"
        r"known|told|sold|paid|stored|seen|written)\b",
        re.IGNORECASE,
    ),
}
NAME_THE_ACTOR = {
    "fi": "say who does it, e.g. 'Säilytämme tiedot viisi vuotta.' rather than 'Tiedot säilytetään viisi vuotta.'",
    "sv": "say who does it, e.g. 'Vi sparar uppgifterna i fem år.' rather than 'Uppgifterna sparas i fem år.'",
    "en": "say who does it, e.g. 'We keep the data for five years.' rather than 'The data is kept for five years.'",
}

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "art",
    "esim",
    "mm",
    "ns",
    "ks",
    "jne",
    "yms",
    "nk",
    "ts",
    "vrt",
    "eg",
    "ie",
    "etc",
    "no",
    "nr",
    "bl",
    "t",
    "ex",
    "s",
    "k",
    "p",
    "st",
    "kpl",
    "vs",
}
SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*\s+")


def style_problems(paths: list[Path]) -> list[Problem]:
    """Every plain-language warning in the registers under `paths` and their _organisation.yaml."""
    problems: list[Problem] = []
    for folder in find_folders(paths):
        files = [folder.organisation] if folder.organisation else []
        for path in files + folder.registers:
            loaded = load_file(path)
            if not loaded.problems:  # a file that does not load is `check`'s to report
                problems += file_problems(loaded)
    return sorted(set(problems))


def file_problems(loaded: LoadedFile) -> list[Problem]:
    """The plain-language warnings of one loaded file."""
    finder = Locator(loaded)
    problems = []
    for path, lang, text in texts(loaded.data, ()):
        for offset, message in text_findings(text, lang):
            line, column = finder.locate(path, text, offset)
            problems.append(Problem(loaded.display, line, column, format_path(path), message, Level.WARNING))
    return problems


def texts(node: object, path: FieldPath) -> Iterator[tuple[FieldPath, str, str]]:
    """Every text of a register in a language (`{fi: ..., sv: ..., en: ...}`), with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            if path == () and key == "internal":
                continue  # never published
            if key in LANGUAGES and isinstance(value, str):
                yield (*path, key), key, value
            else:
                yield from texts(value, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from texts(item, (*path, index))


def text_findings(text: str, lang: str) -> list[tuple[int, str]]:
    """What is poor practice in one text: (offset of the word in the text, message)."""
    found = []
    for start, sentence in sentences(text):
        words = list(WORD.finditer(sentence))
        found += [(start + offset, message) for offset, message in _hedges(sentence, words, lang)]
        if len(words) > LONG_SENTENCE[lang]:
            found.append(
                (
                    start + words[0].start(),
                    f"this sentence has {len(words)} words ({WP260}); split it into sentences of at most "
                    f"{LONG_SENTENCE[lang]} words, one fact each",
                )
            )
        passives = list(PASSIVES[lang].finditer(sentence))
        if len(passives) >= PASSIVE_CHAIN:
            shown = ", ".join(f"'{m.group(0)}'" for m in passives[:4])
            found.append(
                (
                    start + passives[0].start(),
                    f"{len(passives)} passive verbs in one sentence ({shown}) hide who does what ({WP260}); "
                    + NAME_THE_ACTOR[lang],
                )
            )
    return sorted(found)


def _hedges(sentence: str, words: list[re.Match[str]], lang: str) -> Iterator[tuple[int, str]]:
    lowered = [w.group(0).lower() for w in words]
    for index, word in enumerate(lowered):
        hedge = next((h for h in HEDGES[lang] if word in h.words), None)
        if hedge is None:
            continue
        before = lowered[index - 1] if index else ""
        after = set(lowered[index + 1 : index + 3])  # two words: Swedish puts the subject first ("kan vi inte")
        if word in MODALS[lang] and (
            before in RIGHT_HOLDERS[lang]
            or lowered[index + 1 : index + 2] == [h for h in lowered[index + 1 : index + 2] if h in RIGHT_HOLDERS[lang]]
            and index + 1 < len(lowered)
            or after & NEGATIONS_AFTER[lang]
            or set(lowered[max(0, index - 2) : index]) & PURPOSE[lang]
            or any(phrase in sentence.lower() for phrase in ANY_TIME[lang])
        ):
            continue  # a right granted or denied, or a purpose: a clear statement
        if before in NEGATIONS_BEFORE[lang] or set(lowered[index + 1 :]) & LIMITS[lang]:
            continue  # "ei voi", "is not possible", "possible only over": a limit, stated
        if before == AS_POSSIBLE[lang] and word in ("possible", "mahdollista", "möjligt"):
            continue
        yield (
            words[index].start(),
            f"'{words[index].group(0)}' leaves the reader unsure whether it happens ({WP260}); {hedge.instead}",
        )


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """The sentences of a text with their offsets: paragraphs, list items and table rows are
    sentences' bounds too, and a full stop after an abbreviation ("esim.", "Art.") is not."""
    for block in re.finditer(r"[^\n]+(?:\n(?![ \t]*(?:[-*+|]|\d+[.)])\s|[ \t]*\n)[^\n]+)*", text):
        begin = block.start()
        chunk = block.group(0)
        start = 0
        for end in SENTENCE_END.finditer(chunk):
            before = WORD.findall(chunk[start : end.start() + 1])
            rest = chunk[end.end() : end.end() + 1]
            if before and before[-1].lower() in ABBREVIATIONS or not rest or not (rest.isupper() or rest in '"“('):
                continue
            yield begin + start, chunk[start : end.start() + 1]
            start = end.end()
        if chunk[start:].strip():
            yield begin + start, chunk[start:]


class Locator:
    """Finds where a word of a text stands in the file: the value's own position, then the same
    occurrence of the word in the file from there (a text as written differs from its value only
    in line breaks, indentation and quoting, never in its words)."""

    def __init__(self, loaded: LoadedFile) -> None:
        self.loaded = loaded
        self.text = decode(loaded.source)
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", self.text)]

    def locate(self, path: FieldPath, value: str, offset: int) -> tuple[int, int]:
        line, column = self.loaded.locate(path)
        word = WORD.match(value, offset)
        if word is None:
            return line, column
        pattern = re.compile(rf"(?<!\w){re.escape(word.group(0))}(?!\w)")
        nth = len(pattern.findall(value, 0, offset))
        position = self.line_starts[line - 1] + column - 1
        for index, match in enumerate(pattern.finditer(self.text, position)):
            if index == nth:
                at = match.start()
                row = bisect.bisect_right(self.line_starts, at) - 1
                return row + 1, at - self.line_starts[row] + 1
        return line, column
