"""Chinese text similarity of needs and offers (DESIGN.md "Talent pool": training needs ↔ colleges' courses,
collaboration needs ↔ their research, equipment and cases; issue 14 item 6).

`rank_offers(needs, offers, k)` gives, for each need, the `k` most similar offers as (offer index, cosine
similarity of TF-IDF vectors), best first, ties to the lower index, offers of similarity 0 left out. The TF-IDF
vocabulary and weights are fitted on the needs and offers being compared (a checklist's few dozen texts against
the province's few thousand offers), so a term common to every offer, such as 培训, weighs little.

Texts are read after Unicode NFKC (full-width Latin letters and digits become ASCII) and lower-casing, with
punctuation turned into spaces, so n-grams never straddle a comma.

Methods (`Method`), measured on the labelled set of tests/talentpool/text_cases.py (30 needs in enterprises' own
words, 二保焊, 氩弧焊, 机械手 …, each with one right offer among 46 written in colleges' formal terms, 16 of them
near-miss distractors of the same trades; tests/talentpool/test_text_similarity.py prints the table):
- character n-grams inside punctuation-delimited runs, of lengths 1–2, 2–3 or 1–3;
- jieba segmentation (precise mode) into words, then TF-IDF of the words;
- both at once (the word features and the 1–2-gram features, similarities averaged).

The default is the one that measurably won: **character 1–2-grams**, the right offer first for 30 of 30 needs,
with the widest margin between the right offer and the best wrong one (mean 0.26, least 0.06); 1–3-grams also 30
(margins 0.21 / 0.04), words + 1–2-grams 30 (0.24 / 0.00), 2–3-grams 29, jieba words alone 28 (and 60 times
slower, loading its dictionary). Segmentation did not help: jieba's general dictionary cuts trade terms
differently from one text to the next (焊接机器人 whole in one, 焊接 / 机器人 in another; 二保焊 unknown), while
character bigrams match either way and single characters still catch 焊 in 电焊工 against 焊条电弧焊. So jieba
is an option only, to re-measure as the set grows; it is installed with the test extras, not in production.

College-to-post matching by majors and graduates is `match_colleges`: each college's majors carry the occupation
codes they train for (对应职业编码); a major scores by the closest of its codes to the post's occupation (same code 1,
same 小类 0.6, same 中类 0.3, as the match score's occupation factor), and its graduates' recorded posts (主要就业岗位)
add their text similarity to the post's name and occupation name. A college's score is
`0.7 × occupation + 0.3 × posts text` of its best major; colleges scoring 0 on occupation are left out (a college
whose graduates merely share words with the post does not supply it). The supply figure shown beside it is the
graduates of the last three years of the majors that scored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from certification.domain.catalogue import parse_occupation_code
from core.errors import RuleBroken

_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


class Method(StrEnum):
    CHAR_1_2 = "char_1_2"
    CHAR_2_3 = "char_2_3"
    CHAR_1_3 = "char_1_3"
    JIEBA = "jieba"
    JIEBA_CHAR_1_2 = "jieba_char_1_2"


DEFAULT_METHOD = Method.CHAR_1_2


def normalise(text: str) -> str:
    """The text as the vectorizers read it: NFKC, lower case, each run of punctuation or spaces one space."""
    return _PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def _jieba_words(text: str) -> list[str]:
    import jieba  # optional method: loaded only when asked for

    jieba.setLogLevel(60)  # above CRITICAL: its dictionary-loading notes are not ours to print
    return [word for word in jieba.lcut(text) if word.strip()]


def _char_grams(low: int, high: int) -> Callable[[str], list[str]]:
    """Character n-grams of lengths low..high inside each space-delimited run (scikit-learn's `char_wb` pads runs
    with a space, and the space's own 1-gram then made every two texts alike)."""
    def grams(text: str) -> list[str]:
        return [run[i:i + n] for run in text.split() for n in range(low, high + 1) for i in range(len(run) - n + 1)]
    return grams


def _vectorizers(method: Method) -> list[Any]:
    # Imported here, not at the top: scikit-learn takes a second and ~80 MB to import, which every server process
    # would pay at start-up (the URL configuration imports the selectors) for pages that may never be opened.
    from sklearn.feature_extraction.text import TfidfVectorizer

    def chars(low: int, high: int) -> Any:
        return TfidfVectorizer(analyzer=_char_grams(low, high), sublinear_tf=True)

    words: Callable[[], Any] = lambda: TfidfVectorizer(  # noqa: E731 - one expression, named once
        analyzer=_jieba_words, sublinear_tf=True)
    return {
        Method.CHAR_1_2: lambda: [chars(1, 2)],
        Method.CHAR_2_3: lambda: [chars(2, 3)],
        Method.CHAR_1_3: lambda: [chars(1, 3)],
        Method.JIEBA: lambda: [words()],
        Method.JIEBA_CHAR_1_2: lambda: [words(), chars(1, 2)],
    }[method]()


def similarities(needs: Sequence[str], offers: Sequence[str], *, method: Method = DEFAULT_METHOD) -> np.ndarray:
    """The (needs × offers) matrix of cosine similarities of their TF-IDF vectors, in [0, 1]; zeros when no text
    has a feature (all empty)."""
    result = np.zeros((len(needs), len(offers)), dtype=np.float64)
    if not needs or not offers:
        return result
    texts = [normalise(t) for t in (*needs, *offers)]
    parts = []
    for vectorizer in _vectorizers(method):
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # empty vocabulary: every text is empty or punctuation
            continue
        parts.append(matrix)
    if not parts:
        return result
    for matrix in parts:
        result += (matrix[: len(needs)] @ matrix[len(needs):].T).toarray()
    return np.clip(result / len(parts), 0.0, 1.0)


def rank_offers(needs: Sequence[str], offers: Sequence[str], k: int = 5, *,
                method: Method = DEFAULT_METHOD) -> list[list[tuple[int, float]]]:
    """For each need, the `k` most similar offers as (offer index, similarity), best first, ties to the lower
    index; offers sharing nothing with the need (similarity 0) are left out."""
    sims = similarities(needs, offers, method=method)
    out: list[list[tuple[int, float]]] = []
    positions = np.arange(len(offers))
    for row in sims:
        order = np.lexsort((positions, -row))[: max(k, 0)]
        out.append([(int(i), float(row[i])) for i in order if row[i] > 0])
    return out


# --- colleges for a post ------------------------------------------------------------------------------------------

OCCUPATION_WEIGHT, POSTS_WEIGHT = 0.7, 0.3


@dataclass(frozen=True, slots=True)
class MajorSupply:
    """A college's major as matching reads it: its occupation codes, graduates of the last three years and the
    posts they went to (free text of the graduates' records, joined)."""

    code: str
    name: str
    occupation_codes: tuple[str, ...]
    graduates: int
    graduate_posts: str


@dataclass(frozen=True, slots=True)
class CollegeSupply:
    college_id: int
    majors: tuple[MajorSupply, ...]


@dataclass(frozen=True, slots=True)
class CollegeMatch:
    """A college for a post: its score, the major that counted, its occupation and posts-text values, and the
    graduates of the majors that scored on occupation."""

    college_id: int
    score: float
    major_code: str
    occupation: float
    posts_text: float
    graduates: int


def _occupation_closeness(codes: Sequence[str], post: str) -> float:
    best = 0.0
    target = parse_occupation_code(post)
    for text in codes:
        try:
            code = parse_occupation_code(text)
        except RuleBroken:
            continue  # a major's free-typed code that is not one scores nothing, rather than refusing the post
        if code.code == target.code:
            return 1.0
        best = max(best, 0.6 if code.minor == target.minor else 0.3 if code.middle == target.middle else 0.0)
    return best


def match_colleges(post_occupation: str, post_text: str, colleges: Sequence[CollegeSupply], k: int = 10, *,
                   method: Method = DEFAULT_METHOD) -> list[CollegeMatch]:
    """The colleges whose majors supply a post (module docstring), best first, ties to the lower college id."""
    majors = [(c, m) for c in colleges for m in c.majors]
    if not majors:
        return []
    closeness = np.array([_occupation_closeness(m.occupation_codes, post_occupation) for _c, m in majors])
    texts = similarities([post_text], [m.graduate_posts for _c, m in majors], method=method)[0]
    scores = OCCUPATION_WEIGHT * closeness + POSTS_WEIGHT * texts
    best: dict[int, CollegeMatch] = {}
    for (college, major), score, occ, text in zip(majors, scores, closeness, texts, strict=True):
        if occ <= 0:
            continue
        held = best.get(college.college_id)
        graduates = (held.graduates if held else 0) + major.graduates
        if held is None or score > held.score:
            best[college.college_id] = CollegeMatch(college.college_id, float(score), major.code, float(occ),
                                                    float(text), graduates)
        else:
            best[college.college_id] = CollegeMatch(held.college_id, held.score, held.major_code, held.occupation,
                                                    held.posts_text, graduates)
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.college_id))
    return ranked[: max(k, 0)]
