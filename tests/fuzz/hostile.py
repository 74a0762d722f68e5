"""Hostile input for the fuzz tests: values, JSON and form bodies, paths, and a tally.

Everything is built as bytes here, the way a hostile client sends it: a lone surrogate is
UTF-8-encoded with `surrogatepass` (ED A0 80) or written as a JSON escape ("\\ud800"),
never something the test client would refuse to encode.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import PDF_BYTES, PNG_BYTES
from tests.fuzz.corpus import AMOUNT_INPUTS, NASTY_INTS, NASTY_TEXT, QUERY_NAMES, VOCABULARY

# Examples per endpoint: enough to carry each hostile change into each field now and then,
# few enough that both files on both databases stay within about a minute and a half.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the tree; FUZZ_RANDOM=1 explores further
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=list(HealthCheck),
)
REPORT = Path(
    os.environ.get("FUZZ_REPORT", Path(__file__).resolve().parents[2] / "instance" / "fuzz.json")
)


@dataclass
class Tally:
    """Requests tried and server errors seen, per suite and database, for the closing note."""

    counts: dict = field(default_factory=dict)

    def add(self, suite: str, backend: str, server_error: bool) -> None:
        tried, errors = self.counts.get((suite, backend), (0, 0))
        self.counts[(suite, backend)] = (tried + 1, errors + int(server_error))

    def lines(self) -> list[str]:
        return [
            f"fuzz {suite} on {backend}: {tried} requests tried, 500s: {errors}"
            for (suite, backend), (tried, errors) in sorted(self.counts.items())
        ]

    def write(self) -> None:
        if not self.counts:
            return
        rows = [
            {"suite": s, "database": b, "requests": t, "server_errors": e}
            for (s, b), (t, e) in sorted(self.counts.items())
        ]
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


TALLY = Tally()

# Values -------------------------------------------------------------------------------

text_values = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=8).map(lambda s: s * 40),
)
int_values = st.one_of(st.sampled_from(NASTY_INTS), st.integers())
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        int_values,
        st.floats(allow_nan=False, allow_infinity=False),
        text_values,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(text_values, children, max_size=3)
    ),
    max_leaves=6,
)


# Each root cause found by fuzzing before, as a change to a good value: applied to every
# field at once or to a few, so that a request carries it past the checks of the fields it
# does not break and into the one that breaks.
_OTHER_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
MUTATIONS = {
    "nul": lambda v: f"{v}\x00",
    "surrogate": lambda v: f"{v}\ud800",
    "overlong": lambda v: (v or "企") * (300 // max(len(v), 1) + 1),
    "other_digits": lambda v: v.translate(_OTHER_DIGITS) if any(c.isdigit() for c in v) else "٣",
    "superscript": lambda v: v.translate(_SUPERSCRIPT) if any(c.isdigit() for c in v) else "²",
    "full_width": lambda v: v.translate(_FULL_WIDTH),
    "many_digits": lambda v: "9" * 40,
    "many_places": lambda v: "1." + "0" * 30 + "1",
    "beyond_int": lambda v: str(2**31),
    "negative": lambda v: f"-{v}",
    "empty": lambda v: "",
}
WRONG_TYPES = [None, True, 0, -1, 2**31, 10**30, 1e308, [], {}, ["x"], {"x": "\ud800"}]


@st.composite
def mutation_plans(draw):
    """(mutation or None, how likely each field gets it)."""
    name = draw(st.sampled_from([None, "random", "wrong_type", *MUTATIONS]))
    return name, draw(st.sampled_from([0.25, 1.0]))


def _mutated(draw, plan, good):
    name, share = plan
    if name is None or draw(st.floats(0, 1)) >= share:
        return good
    if name == "random":
        return draw(json_values)
    if name == "wrong_type":
        return draw(st.sampled_from(WRONG_TYPES))
    return MUTATIONS[name](str(good))


def _good(draw, name: str):
    good = [v for v in VOCABULARY.get(name, []) if not isinstance(v, dict)] or ["1000"]
    return draw(st.sampled_from(good))


@st.composite
def json_objects(draw):
    """Every name an endpoint may read, mostly present, good or hostile as planned."""
    plan = draw(mutation_plans())
    body = {}
    for name in sorted(VOCABULARY):
        if draw(st.integers(0, 9)) == 0:
            continue
        if name == "amount_inputs":
            inputs = draw(st.sampled_from(VOCABULARY[name]))
            body[name] = {k: _mutated(draw, plan, v) for k, v in {**inputs, "months": "6"}.items()}
        else:
            body[name] = _mutated(draw, plan, _good(draw, name))
    if draw(st.integers(0, 4)) == 0:
        body[draw(text_values)] = draw(json_values)
    return body


def encode_json(value) -> bytes:
    """JSON as a client would send it; Python's json writes lone surrogates as \\udXXX."""
    return json.dumps(value, default=str).encode("ascii")


RAW_BODIES = [
    b"",
    b"not json",
    b"[" * 10_000,
    b'{"a":' * 5_000,
    b"{" + b'"k":[' * 3_000,
    b'"\\ud800"',
    b'{"username": "\\ud800", "password": "\\udfff"}',
    b'{"project_title": "\\u0000", "policy_code": "JMJ-PLAN"}',
    b'{"requested_amount": 1' + b"0" * 5_000 + b"}",
    b'{"requested_amount": 1e999999, "version": 1e400}',
    b'{"requested_amount": NaN, "approved_amount": Infinity}',
    b"\xff\xfe\x00{",
    b'{"username": "ent_huadong"' + b', "x": "' + b"a" * 70_000 + b'"}',
    b'{"amount_inputs": {"months": "\\u0662"}, "requested_amount": "1"}',
    b"null",
    b"[]",
    b"12",
]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/vnd.api+json",
    None,
]


@st.composite
def json_requests(draw) -> tuple[bytes, str | None]:
    """(body, content type): usually a JSON object of hostile fields, sometimes raw junk."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(RAW_BODIES)), draw(st.sampled_from(CONTENT_TYPES))
    return encode_json(draw(json_objects())), "application/json"


# Form bodies, URL-encoded or multipart ------------------------------------------------


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _form_text():
    return st.one_of(text_values, int_values.map(str))


@st.composite
def form_fields(draw) -> list[tuple[str, str]]:
    """As json_objects, as text; now and then a name twice."""
    plan = draw(mutation_plans())
    if plan[0] == "wrong_type":
        plan = ("random", plan[1])
    pairs = []
    for name in sorted(VOCABULARY) + AMOUNT_INPUTS:
        if draw(st.integers(0, 9)) == 0:
            continue
        value = _mutated(draw, plan, _good(draw, name))
        pairs.append((name, value if isinstance(value, str) else draw(_form_text())))
        if draw(st.integers(0, 9)) == 0:
            pairs.append((name, str(_good(draw, name))))
    if draw(st.integers(0, 4)) == 0:
        pairs.append((draw(text_values), draw(_form_text())))
    return pairs


@st.composite
def query_fields(draw) -> list[tuple[str, str]]:
    """A few query parameters: pages read only a handful."""
    names = draw(st.lists(st.sampled_from(QUERY_NAMES), max_size=4, unique=True))
    return [
        (name, draw(st.one_of(st.sampled_from(VOCABULARY[name]), _form_text()))) for name in names
    ]


def urlencode(pairs) -> bytes:
    return "&".join(
        f"{quote(_bytes(k), safe='')}={quote(_bytes(v), safe='')}" for k, v in pairs
    ).encode("ascii")


def multipart(pairs, files) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in pairs:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="'.encode()
            + _bytes(name).replace(b'"', b"%22")
            + b'"\r\n\r\n'
            + _bytes(value)
            + b"\r\n"
        )
    for name, filename, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode()
            + _bytes(filename).replace(b'"', b"%22").replace(b"\r", b"").replace(b"\n", b"")
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


file_contents = st.one_of(
    st.sampled_from([PDF_BYTES, PNG_BYTES, b"", b"MZ\x90\x00", b"\xff\xd8\xff" + b"\x00" * 32]),
    st.binary(max_size=64),
)


@st.composite
def form_requests(draw) -> tuple[bytes, str | None]:
    """(body, content type): URL-encoded or multipart fields, a file now and then, or junk."""
    pairs = draw(form_fields())
    style = draw(st.integers(0, 5))
    if style == 0:
        junk = [b"%", b"a=%zz&%%%", b"\x00=\x00", b"\xff\xfe=\xed\xa0\x80", b"a" * 20_000]
        return draw(st.sampled_from(junk)), "application/x-www-form-urlencoded"
    if style <= 2:
        files = []
        if draw(st.booleans()):
            files.append(("file", draw(text_values), draw(file_contents)))
        return multipart(pairs, files)
    return urlencode(pairs), "application/x-www-form-urlencoded"


@st.composite
def query_strings(draw) -> str:
    return urlencode(draw(query_fields())).decode("ascii")


# Paths ---------------------------------------------------------------------------------

_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
ID_VALUES = [1, 2, 3, 4, 5, 0, 2**31 - 1, 2**31, 10**20]


@st.composite
def paths(draw, rule: str) -> str:
    """The rule with each argument filled in: ids near and beyond the column's range for
    `int`, hostile text (percent-encoded, NUL and surrogates too) for the others."""

    def fill(match: re.Match) -> str:
        if match.group(1) == "int":
            return str(draw(st.sampled_from(ID_VALUES)))
        known = {"fmt": ["csv", "xlsx", "pdf"], "action": ["start", "repay", "close"]}
        good = known.get(match.group(2), ["en", "zh_Hans_CN", "ABCD-EFGH-JKLM", "claims"])
        value = draw(st.one_of(st.sampled_from(good), text_values.filter(bool)))
        return quote(_bytes(value), safe="")

    return _ARGUMENT.sub(fill, rule)


def plain_path(rule: str) -> str:
    """The rule filled in with id 1 and ordinary words: what a probe of each role asks."""
    known = {"fmt": "csv", "action": "start", "code": "en", "key": "by_state"}
    return _ARGUMENT.sub(lambda m: "1" if m.group(1) == "int" else known.get(m.group(2), "x"), rule)


def describe(method: str, path: str, body: bytes, content_type) -> str:
    shown = body[:300] + (b"..." if len(body) > 300 else b"")
    return f"{method} {path} [{content_type}] {shown!r}"
