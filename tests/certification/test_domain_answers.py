"""The answer log (certification.domain.answers): idempotent application, later sequence numbers winning per
question whatever the arrival order, the contiguous acknowledgement, one active session per candidate and the
invigilator's view of a seat; hypothesis properties: the final state is the same whatever order and grouping the
answers arrive in, and a resend changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.domain.answers import (
    MAX_AHEAD,
    Answer,
    AnswerLog,
    ItemShape,
    SeatEvent,
    SeatEventKind,
    SeatState,
    Session,
    SessionMove,
    apply,
    seat_view,
    session_decision,
    to_stored,
)
from certification.domain.exam_clock import OffsetEstimate, Sitting, TimingPolicy, answer_refusal, timing
from certification.domain.papers import Kind
from core.errors import Conflict, RuleBroken

START = datetime(2026, 5, 9, 1, 0, tzinfo=UTC)
SHAPE = (ItemShape(Kind.SINGLE, 4), ItemShape(Kind.MULTIPLE, 5), ItemShape(Kind.TRUE_FALSE, 2),
         ItemShape(Kind.SINGLE, 4))


def a(seq: int, position: int, *choices: int, minute: float | None = None) -> Answer:
    return Answer(position, tuple(choices), seq, START + timedelta(minutes=seq if minute is None else minute))


def test_answers_are_saved_per_question_and_acknowledged() -> None:
    result = apply(AnswerLog(), [a(1, 0, 2), a(2, 1, 3, 0), a(3, 2, 1)], SHAPE)
    assert result.ack == 3 and result.accepted == (1, 2, 3) and result.refused == ()
    assert result.log.choices(4) == ((2,), (0, 3), (1,), ())
    assert result.log.answered == 3 and result.log.next_seq == 4


def test_a_resend_changes_nothing_and_is_acknowledged_again() -> None:
    first = apply(AnswerLog(), [a(1, 0, 2), a(2, 0, 3)], SHAPE)
    again = apply(first.log, [a(1, 0, 1), a(2, 0, 1)], SHAPE)  # same numbers, whatever they now carry
    assert again.log == first.log and again.ack == 2 and again.repeated == (1, 2) and again.accepted == ()


def test_the_later_number_wins_whatever_the_arrival_order() -> None:
    late_first = apply(AnswerLog(), [a(5, 0, 3)], SHAPE)
    assert late_first.ack == 0  # 1–4 not seen yet: nothing acknowledged
    filled = apply(late_first.log, [a(1, 0, 1), a(2, 1, 0, 1), a(3, 2, 0), a(4, 0, 2)], SHAPE)
    assert filled.ack == 5
    assert filled.log.choices(4)[0] == (3,)


def test_the_acknowledgement_is_the_highest_contiguous_number_decided() -> None:
    step = apply(AnswerLog(), [a(1, 0, 1), a(3, 0, 2), a(4, 1, 0, 2)], SHAPE)
    assert step.ack == 1 and step.log.next_seq == 5
    step = apply(step.log, [a(2, 3, 0)], SHAPE)
    assert step.ack == 4 and dict(step.log.ahead) == {}


def test_a_refused_answer_is_decided_so_it_never_stalls_the_acknowledgement() -> None:
    result = apply(AnswerLog(), [a(1, 0, 1), a(2, 0, 1, 2), a(3, 9, 0), a(4, 1, 7), a(5, 3, 3)], SHAPE)
    assert result.ack == 5 and result.accepted == (1, 5)
    assert [(r.seq, r.error.code) for r in result.refused] == [
        (2, "exam.answer.one_choice"), (3, "exam.answer.bad_position"), (4, "exam.answer.bad_choice")]
    assert result.log.choices(4) == ((1,), (), (), (3,))
    with translation.override("zh-hans"):
        assert result.refused[1].error.message == "本试卷没有第 10 题。"


def test_a_number_outside_the_sitting_is_refused_and_not_remembered() -> None:
    result = apply(AnswerLog(), [a(0, 0, 1), a(MAX_AHEAD + 1, 0, 1)], SHAPE)
    assert [r.error.code for r in result.refused] == ["exam.answer.bad_seq"] * 2
    assert result.log == AnswerLog()


def test_no_choice_clears_an_answer_and_choices_are_a_sorted_set() -> None:
    result = apply(AnswerLog(), [a(1, 1, 4, 0, 4), a(2, 0, 1), a(3, 0)], SHAPE)
    assert result.log.choices(4)[:2] == ((), (0, 4))
    assert result.log.answered == 1


def test_the_letters_a_candidate_saw_map_to_stored_options() -> None:
    order = (2, 0, 3, 1)  # A shows stored option 2, B shows 0 …
    assert to_stored(order, [0, 3]) == (1, 2)


def test_the_judge_decides_on_time_with_the_last_acknowledged_stamp() -> None:
    policy = TimingPolicy(duration=timedelta(minutes=90))
    exact = OffsetEstimate(timedelta(0), timedelta(0))
    arrival = START + timedelta(minutes=95)

    def judge(answer: Answer, last: datetime | None) -> RuleBroken | None:
        return answer_refusal(timing(policy, Sitting(START), arrival), page_time=answer.given_at, estimate=exact,
                              received_at=arrival, last_acknowledged=last)

    result = apply(AnswerLog(), [a(1, 0, 1, minute=80), a(2, 1, 0, 1, minute=70), a(3, 2, 0, minute=91),
                                 a(4, 3, 2, minute=85)], SHAPE, judge)
    assert result.accepted == (1, 4) and result.ack == 4
    assert [(r.seq, r.error.code) for r in result.refused] == [
        (2, "exam.answer.out_of_order"), (3, "exam.answer.after_deadline")]
    assert result.log.acknowledged_at == START + timedelta(minutes=85)


answers = st.lists(st.tuples(st.integers(0, 3), st.lists(st.integers(0, 1), max_size=2)), min_size=1,
                   max_size=25).map(lambda xs: [a(seq, pos, *choices) for seq, (pos, choices) in enumerate(xs, 1)])


@settings(max_examples=200, deadline=None)
@given(sent=answers, data=st.data())
def test_the_final_state_is_the_same_whatever_order_and_batches_the_answers_arrive_in(
        sent: list[Answer], data: st.DataObject) -> None:
    in_order = apply(AnswerLog(), sent, SHAPE).log
    shuffled = data.draw(st.permutations(sent))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(sent)), max_size=5)))
    resends = data.draw(st.lists(st.sampled_from(sent), max_size=5))
    log = AnswerLog()
    bounds = [0, *cuts, len(sent)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        log = apply(log, shuffled[lo:hi], SHAPE).log
        log = apply(log, resends, SHAPE).log  # a retry of anything at any time
    assert log == in_order
    assert log.ack == len(sent)
    expected: dict[int, tuple[int, ...]] = {}
    for answer in sent:  # the highest number per question, of the answers that fit (two choices: multiple only)
        choices = tuple(sorted(set(answer.choices)))
        if len(choices) < 2 or SHAPE[answer.position].kind is Kind.MULTIPLE:
            expected[answer.position] = choices
    assert {p: s.choices for p, s in log.answers.items()} == expected


@settings(max_examples=100, deadline=None)
@given(sent=answers)
def test_applying_the_same_batch_twice_is_applying_it_once(sent: list[Answer]) -> None:
    once = apply(AnswerLog(), sent, SHAPE)
    twice = apply(once.log, sent, SHAPE)
    assert twice.log == once.log and twice.accepted == () and len(twice.repeated) == len(sent)


# --- sessions ----------------------------------------------------------------------------------------------------

def test_the_first_session_opens_and_the_same_one_resumes() -> None:
    active = Session("k1", START, "Chrome · Windows")
    assert session_decision(None, "k1") is SessionMove.OPEN
    assert session_decision(active, "k1") is SessionMove.RESUME


def test_a_second_session_is_refused_naming_the_first() -> None:
    active = Session("k1", datetime(2026, 5, 9, 9, 3, tzinfo=ZoneInfo("Asia/Shanghai")), "Chrome · Windows")
    with pytest.raises(Conflict) as caught:
        session_decision(active, "k2")
    assert caught.value.code == "exam.session.active"
    with translation.override("zh-hans"):
        assert "Chrome · Windows" in caught.value.message and "09:03" in caught.value.message


def test_a_session_released_by_staff_is_taken_over_even_by_itself() -> None:
    released = Session("k1", START, "Chrome · Windows", released=True)
    assert session_decision(released, "k2") is SessionMove.TAKE_OVER
    assert session_decision(released, "k1") is SessionMove.TAKE_OVER  # a fresh start, not a resume


# --- the invigilator's room --------------------------------------------------------------------------------------

def ev(minute: int, kind: SeatEventKind) -> SeatEvent:
    return SeatEvent(START + timedelta(minutes=minute), kind)


def test_a_seat_shows_who_is_in_how_much_is_answered_and_how_often_they_left() -> None:
    log = apply(AnswerLog(), [a(1, 0, 1), a(2, 1, 0, 2)], SHAPE).log
    K = SeatEventKind
    assert seat_view([], log, 4).state is SeatState.NOT_STARTED
    events = [ev(0, K.CONNECTED), ev(5, K.PAGE_HIDDEN), ev(6, K.PAGE_VISIBLE), ev(10, K.DISCONNECTED),
              ev(12, K.CONNECTED), ev(20, K.PAGE_HIDDEN)]
    view = seat_view(events, log, 4)
    assert (view.state, view.answered, view.questions, view.left_page, view.reconnections, view.since) == (
        SeatState.AWAY, 2, 4, 2, 1, START + timedelta(minutes=20))
    assert seat_view(events[:4], log, 4).state is SeatState.DISCONNECTED
    assert seat_view([*events, ev(30, K.SUBMITTED), ev(31, K.CONNECTED)], log, 4).state is SeatState.SUBMITTED
