"""The children-in-need event indicators as they were computed one period at a time, before
their evaluation over many periods: the reference that evaluation must equal, record for record
(figures, outcomes in order, issues in order). Verbatim copies of the single-period code, used
by ``test_cinevents_over.py`` (no tests here)."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable

from csc_indicators.calendar import DayCount, WorkingDayCalendar
from csc_indicators.durations import Interval, after
from csc_indicators.indicators import (
    assessments_within_45_working_days,
    children_subject_to_icpc,
    children_subject_to_s47_enquiries,
    icpcs_held,
    icpcs_within_15_working_days,
    rereferrals_within_12_months,
    s47_enquiries_leading_to_icpc,
)
from csc_indicators.indicators._common import by_child, count_kind, iso, resolve_calendar
from csc_indicators.indicators._twins import select_twins
from csc_indicators.indicators.children_in_need._shared import (
    assessment_key,
    check_interval,
    exclude_twin,
    interval_words,
    referral_key,
    s47_key,
    transfer_in_key,
    working_days_or_reason,
)
from csc_indicators.periods import Period
from csc_indicators.records.cin import Assessment, Referral, Section47, TransferInConference
from csc_indicators.results import IndicatorResult, ResultBuilder

# -- assessments ----------------------------------------------------------------------------


def assessments_ref(
    assessments: Iterable[Assessment],
    period: Period,
    *,
    calendar: WorkingDayCalendar | None = None,
    limit: int = 45,
    convention: DayCount = DayCount.EXCLUSIVE_START,
) -> IndicatorResult:
    cal = resolve_calendar(calendar)
    b = ResultBuilder(assessments_within_45_working_days)

    def in_period(a: Assessment) -> bool:
        return a.authorisation_date is not None and a.authorisation_date in period

    for child_id, items in by_child(assessments, assessment_key).items():
        if not any(in_period(a) for a in items):
            continue
        pairs = select_twins(
            b,
            child_id,
            items,
            same=lambda a: a.start_date,
            selected=in_period,
            noun="assessment",
            end=lambda a: a.authorisation_date,
            as_of=period.end,
        )
        for a, chosen in pairs:
            end = a.authorisation_date
            assert end is not None
            if chosen is not None:
                exclude_twin(
                    b,
                    child_id,
                    a,
                    chosen,
                    duplicate_issue=(
                        f"two assessments started {iso(a.start_date)} and authorised {iso(end)}"
                    ),
                    duplicate_reason="duplicate of an assessment with the same dates",
                    noun=f"assessment starting {iso(a.start_date)}",
                    as_of=period.end,
                )
                continue
            if end < a.start_date:
                reason = f"authorised {iso(end)}, before its start {iso(a.start_date)}"
                b.issue(reason, child_id, a, kind="date order")
                b.exclude(child_id, a, reason)
                continue
            days, problem = working_days_or_reason(cal, a.start_date, end, convention)
            if days is None:
                assert problem is not None
                b.issue(problem, child_id, a, kind="calendar")
                b.exclude(child_id, a, problem)
                continue
            met = days <= limit
            b.count(
                child_id,
                a,
                met,
                days,
                f"{days} working days ({'within' if met else 'more than'} {limit})",
                {"start_date": a.start_date, "authorisation_date": end},
            )
    return b.build(period, {"calendar": cal, "limit": limit, "convention": convention})


# -- referrals ------------------------------------------------------------------------------


def rereferrals_ref(
    referrals: Iterable[Referral],
    period: Period,
    *,
    window: Interval = _dt.timedelta(days=365),
) -> IndicatorResult:
    check_interval("window", window, positive=True)
    b = ResultBuilder(rereferrals_within_12_months)
    for child_id, items in by_child(referrals, referral_key).items():
        if not any(r.date in period for r in items):
            continue
        previous_date: dict[_dt.date, _dt.date | None] = {}
        last: _dt.date | None = None
        for r in items:
            if r.date not in previous_date:
                previous_date[r.date] = last
                last = r.date
        pairs = select_twins(
            b,
            child_id,
            items,
            same=lambda r: r.date,
            selected=lambda r: r.date in period,
            noun="referral",
            end=lambda r: r.closure_date,
            as_of=period.end,
        )
        for referral, chosen in pairs:
            if chosen is not None:
                exclude_twin(
                    b,
                    child_id,
                    referral,
                    chosen,
                    duplicate_issue=f"two referrals on {iso(referral.date)}: counted once",
                    duplicate_reason=(
                        f"duplicate of the referral of {iso(chosen.date)} (same child, same date)"
                    ),
                    noun=f"referral of {iso(referral.date)}",
                    as_of=period.end,
                )
                continue
            previous = previous_date[referral.date]
            if previous is None:
                b.count(
                    child_id,
                    referral,
                    False,
                    None,
                    "no earlier referral",
                    {"previous_referral_date": None},
                )
                continue
            days = (referral.date - previous).days
            met = referral.date <= after(previous, window)
            reason = (
                f"previous referral {iso(previous)}, {days} days earlier"
                f" ({'within' if met else 'more than'} {interval_words(window)})"
            )
            b.count(child_id, referral, met, days, reason, {"previous_referral_date": previous})
    return b.build(period, {"window": window})


# -- conferences ----------------------------------------------------------------------------


def s47_conferences_ref(
    section47s: Iterable[Section47], period: Period, *, builder: ResultBuilder | None = None
) -> dict[str, list[tuple[Section47, Section47 | None]]]:
    def held(s: Section47) -> bool:
        return s.conference_date is not None and s.conference_date in period

    out: dict[str, list[tuple[Section47, Section47 | None]]] = {}
    for child_id, every in by_child(section47s, s47_key).items():
        if not any(held(s) for s in every):
            continue
        twins = select_twins(
            builder,
            child_id,
            every,
            same=lambda s: s.start_date,
            selected=held,
            noun="section 47 enquiry",
            as_of=period.end,
        )
        items = [s for s, chosen in twins if chosen is None]
        by_date: defaultdict[_dt.date | None, list[Section47]] = defaultdict(list)
        for s in items:
            by_date[s.conference_date].append(s)
        pairs: list[tuple[Section47, Section47 | None]] = []
        for group in by_date.values():
            usable = [s for s in group if s.conference_date and s.start_date <= s.conference_date]
            own = usable[-1] if usable else group[0]
            pairs.extend((s, None if s is own else own) for s in group)
        pairs.extend((s, chosen) for s, chosen in twins if chosen is not None)
        pairs.sort(key=lambda p: (p[0].conference_date, s47_key(p[0])))
        out[child_id] = pairs
    return out


def icpcs_ref(
    section47s: Iterable[Section47],
    period: Period,
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    calendar: WorkingDayCalendar | None = None,
    limit: int = 15,
    convention: DayCount = DayCount.EXCLUSIVE_START,
) -> IndicatorResult:
    cal = resolve_calendar(calendar)
    b = ResultBuilder(icpcs_within_15_working_days)
    s47s = s47_conferences_ref(section47s, period, builder=b)
    tis = by_child((t for t in (transfer_ins or ()) if t.date in period), transfer_in_key)
    for child_id in sorted(set(s47s) | set(tis)):
        pairs = s47s.get(child_id, [])
        conference_dates = {s.conference_date for s, _ in pairs}
        rows: list[tuple[tuple[object, ...], object]] = [
            ((s.conference_date, 0, s47_key(s)), (s, own)) for s, own in pairs
        ]
        rows += [((t.date, 1, transfer_in_key(t)), t) for t in tis.get(child_id, [])]
        rows.sort(key=lambda r: r[0])
        for _, item in rows:
            if isinstance(item, TransferInConference):
                if item.date in conference_dates:
                    b.issue(
                        f"transfer-in conference on {iso(item.date)} is also recorded on a "
                        "section 47 enquiry",
                        child_id,
                        item,
                        kind="duplicate",
                    )
                b.exclude(
                    child_id, item, "transfer-in conference: no strategy discussion to measure from"
                )
                continue
            assert isinstance(item, tuple)
            s, own = item
            held = s.conference_date
            assert held is not None
            if own is not None and own.start_date == s.start_date:
                exclude_twin(
                    b,
                    child_id,
                    s,
                    own,
                    duplicate_issue=f"two section 47 enquiries start on {iso(s.start_date)}",
                    duplicate_reason=f"duplicate of the enquiry starting {iso(s.start_date)}",
                    noun=f"section 47 enquiry starting {iso(s.start_date)}",
                )
                continue
            if own is not None:
                b.issue(
                    f"two section 47 enquiries lead to the conference of {iso(held)}",
                    child_id,
                    s,
                    kind="duplicate",
                )
                b.exclude(
                    child_id,
                    s,
                    f"same conference ({iso(held)}) as the enquiry starting {iso(own.start_date)}",
                )
                continue
            if held < s.start_date:
                reason = f"conference {iso(held)} before the enquiry's start {iso(s.start_date)}"
                b.issue(reason, child_id, s, kind="date order")
                b.exclude(child_id, s, reason)
                continue
            days, problem = working_days_or_reason(cal, s.start_date, held, convention)
            if days is None:
                assert problem is not None
                b.issue(problem, child_id, s, kind="calendar")
                b.exclude(child_id, s, problem)
                continue
            if s.conference_not_required:
                b.issue(
                    f"conference held {iso(held)} although recorded as not required",
                    child_id,
                    s,
                    kind="inconsistent",
                )
            met = days <= limit
            b.count(
                child_id,
                s,
                met,
                days,
                f"{days} working days ({'within' if met else 'more than'} {limit})",
                {"start_date": s.start_date, "conference_date": held},
            )
    return b.build(period, {"calendar": cal, "limit": limit, "convention": convention})


def icpcs_held_ref(
    section47s: Iterable[Section47],
    period: Period,
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    population: int | None = None,
) -> IndicatorResult:
    b = ResultBuilder(icpcs_held, count_kind(population))
    s47s = s47_conferences_ref(section47s, period, builder=b)
    tis = by_child((t for t in (transfer_ins or ()) if t.date in period), transfer_in_key)
    for child_id in sorted(set(s47s) | set(tis)):
        seen: set[_dt.date] = set()
        rows: list[tuple[tuple[object, ...], Section47 | TransferInConference, Section47 | None]]
        rows = [((s.conference_date, 0, s47_key(s)), s, own) for s, own in s47s.get(child_id, [])]
        rows += [((t.date, 1, transfer_in_key(t)), t, None) for t in tis.get(child_id, [])]
        rows.sort(key=lambda r: r[0])
        for _, record, own in rows:
            if isinstance(record, TransferInConference):
                held, what = record.date, "transfer-in conference"
            else:
                assert record.conference_date is not None
                held, what = record.conference_date, "conference after a section 47 enquiry"
            if (
                own is not None
                and isinstance(record, Section47)
                and own.start_date == record.start_date
            ):
                exclude_twin(
                    b,
                    child_id,
                    record,
                    own,
                    duplicate_issue=f"conference of {iso(held)} recorded twice: counted once",
                    duplicate_reason=f"duplicate of the conference of {iso(held)}",
                    noun=f"section 47 enquiry starting {iso(record.start_date)}",
                    as_of=period.end,
                )
                continue
            if own is not None or held in seen:
                b.issue(
                    f"conference of {iso(held)} recorded twice: counted once",
                    child_id,
                    record,
                    kind="duplicate",
                )
                b.exclude(child_id, record, f"duplicate of the conference of {iso(held)}")
                continue
            seen.add(held)
            b.count(child_id, record, True, None, f"{what} {iso(held)}")
    return b.build(period, {"population": population})


# -- enquiries ------------------------------------------------------------------------------


def _s47_twins(
    b: ResultBuilder, section47s: Iterable[Section47], period: Period
) -> dict[str, list[tuple[Section47, Section47 | None]]]:
    def starts(s: Section47) -> bool:
        return s.start_date in period

    out: dict[str, list[tuple[Section47, Section47 | None]]] = {}
    for child_id, items in by_child(section47s, s47_key).items():
        if not any(starts(s) for s in items):
            continue
        out[child_id] = select_twins(
            b,
            child_id,
            items,
            same=lambda s: s.start_date,
            selected=starts,
            noun="section 47 enquiry",
            as_of=period.end,
        )
    return out


def _exclude_s47_twin(
    b: ResultBuilder, child_id: str, s: Section47, chosen: Section47, period: Period
) -> None:
    exclude_twin(
        b,
        child_id,
        s,
        chosen,
        duplicate_issue=f"two section 47 enquiries start on {iso(s.start_date)}: counted once",
        duplicate_reason=f"duplicate of the enquiry starting {iso(s.start_date)}",
        noun=f"section 47 enquiry starting {iso(s.start_date)}",
        as_of=period.end,
    )


def children_s47_ref(
    section47s: Iterable[Section47], period: Period, *, population: int | None = None
) -> IndicatorResult:
    b = ResultBuilder(children_subject_to_s47_enquiries, count_kind(population))
    for child_id, pairs in _s47_twins(b, section47s, period).items():
        first: Section47 | None = None
        for s, chosen in pairs:
            if chosen is not None:
                _exclude_s47_twin(b, child_id, s, chosen, period)
            elif first is None:
                first = s
                b.count(child_id, s, True, None, f"section 47 enquiry {iso(s.start_date)}")
            else:
                b.exclude(
                    child_id,
                    s,
                    f"child counted once, on the enquiry starting {iso(first.start_date)}",
                )
    return b.build(period, {"population": population})


def children_icpc_ref(
    section47s: Iterable[Section47],
    period: Period,
    *,
    transfer_ins: Iterable[TransferInConference] | None = (),
    population: int | None = None,
) -> IndicatorResult:
    b = ResultBuilder(children_subject_to_icpc, count_kind(population))
    s47s = s47_conferences_ref(section47s, period, builder=b)
    tis = by_child((t for t in (transfer_ins or ()) if t.date in period), transfer_in_key)
    for child_id in sorted(set(s47s) | set(tis)):
        rows: list[tuple[tuple[object, ...], Section47 | TransferInConference, Section47 | None]]
        rows = [((s.conference_date, 0, s47_key(s)), s, own) for s, own in s47s.get(child_id, [])]
        rows += [((t.date, 1, transfer_in_key(t)), t, None) for t in tis.get(child_id, [])]
        rows.sort(key=lambda r: r[0])
        counted: str | None = None
        for _, record, own in rows:
            if isinstance(record, TransferInConference):
                held, what = record.date, "transfer-in conference"
            else:
                assert record.conference_date is not None
                held, what = record.conference_date, "conference after a section 47 enquiry"
                if own is not None and own.start_date == record.start_date:
                    _exclude_s47_twin(b, child_id, record, own, period)
                    continue
            if counted is None:
                counted = iso(held)
                b.count(child_id, record, True, None, f"{what} {iso(held)}")
            else:
                b.exclude(child_id, record, f"child counted once, on the conference of {counted}")
    return b.build(period, {"population": population})


def s47_leading_ref(
    section47s: Iterable[Section47],
    period: Period,
    *,
    exclude_undecided: bool = False,
) -> IndicatorResult:
    b = ResultBuilder(s47_enquiries_leading_to_icpc)
    end = period.end
    for child_id, pairs in _s47_twins(b, section47s, period).items():
        for s, chosen in pairs:
            if chosen is not None:
                _exclude_s47_twin(b, child_id, s, chosen, period)
                continue
            held = s.conference_date if s.conference_date and s.conference_date <= end else None
            details: dict[str, object] = {"start_date": iso(s.start_date)}
            if held is not None and held < s.start_date:
                reason = f"conference {iso(held)} before the enquiry's start {iso(s.start_date)}"
                b.issue(reason, child_id, s, kind="date order")
                b.exclude(child_id, s, reason, details=details)
                continue
            if held is not None:
                if s.conference_not_required:
                    b.issue(
                        f"conference held {iso(held)} although recorded as not required",
                        child_id,
                        s,
                        kind="inconsistent",
                    )
                b.count(
                    child_id,
                    s,
                    True,
                    (held - s.start_date).days,
                    f"conference {iso(held)}",
                    {**details, "conference_date": iso(held)},
                )
            elif s.conference_not_required:
                b.count(child_id, s, False, None, "conference not required", details)
            elif exclude_undecided:
                b.exclude(
                    child_id,
                    s,
                    f"no conference by {iso(end)} and not recorded as not required: "
                    "outcome not known at the period end",
                    details=details,
                )
            else:
                b.count(child_id, s, False, None, f"no conference by {iso(end)}", details)
    return b.build(period, {"exclude_undecided": exclude_undecided})


REFERENCES = {
    "assessments_within_45_working_days": assessments_ref,
    "rereferrals_within_12_months": rereferrals_ref,
    "icpcs_within_15_working_days": icpcs_ref,
    "icpcs_held": icpcs_held_ref,
    "children_subject_to_s47_enquiries": children_s47_ref,
    "children_subject_to_icpc": children_icpc_ref,
    "s47_enquiries_leading_to_icpc": s47_leading_ref,
}
"""Each indicator's single-period reference, by id."""
