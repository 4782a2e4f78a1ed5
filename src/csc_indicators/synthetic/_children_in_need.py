"""Children in need: chains of referrals, each with the assessment, section 47 enquiry,
initial conference, child protection plan and closure its case needs."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable, Iterator

from ..records import (
    Assessment,
    ChildProtectionPlan,
    Referral,
    Section47,
    TransferInConference,
)
from ._days import _Days, _Window
from ._records import ChildRecords, _Make
from ._scales import _CIN_CHAINS_PER_YEAR
from ._tables import _CLOSE_AFTER_ASSESSMENT, _CLOSE_AFTER_SERVICES, _draw


def _assessment_days(r: Callable[[], float]) -> int:
    """Working days from an assessment's start to its authorisation (median about 33, about
    85% within 45)."""
    u = r()
    if u < 0.10:
        return int(r() * 16)  # 0-15: quick assessments
    if u < 0.85:
        # 16-45, weighted towards the deadline (a triangle rising to 45).
        return 16 + int(30 * (r() ** 0.9))
    if u < 0.97:
        return 46 + int(r() * 25)  # 46-70
    return 71 + int(r() * 60)  # 71-130: the long tail


def _conference_days(r: Callable[[], float]) -> int:
    """Working days from the strategy discussion to the initial conference (about 80% within
    15)."""
    u = r()
    if u < 0.80:
        return 4 + int(r() * 12)  # 4-15
    if u < 0.95:
        return 16 + int(r() * 10)  # 16-25
    return 26 + int(r() * 30)  # 26-55


def _plan_days(r: Callable[[], float]) -> int:
    """Calendar days a child protection plan lasts."""
    u = r()
    if u < 0.16:
        return 20 + int(r() * 70)  # under 3 months
    if u < 0.70:
        return 90 + int(r() * 275)  # 3 months to a year
    if u < 0.955:
        return 365 + int(r() * 365)  # 1-2 years
    return 730 + int(r() * 500)  # 2 years or more


def _cin_children(
    rng: random.Random, scale: float, days: _Days, window: _Window, make: _Make
) -> Iterator[ChildRecords]:
    r = rng.random
    look_back = window.start - 365  # the emitted look-back year starts here
    sim_start = window.start - 3 * 365  # chains start here, so follow-ups are in steady state
    end = window.end
    span = end - sim_start + 1
    n_chains = round(_CIN_CHAINS_PER_YEAR * scale * span / 365.25)
    # Local names for the hot loop (each call saved counts at England scale). Every day here
    # is on or after the tables' first day, so a date is one list lookup.
    base = days.base
    dates = days.dates
    add_wd = days.add_wd
    next_wd = days.next_wd
    add_months = days.add_months
    new_referral = make.referral
    new_assessment = make.assessment
    new_s47 = make.s47
    new_transfer_in = make.transfer_in
    new_plan = make.plan
    traits = make.traits
    number = 0
    for _ in range(n_chains):
        t = sim_start + int(r() * span)
        hidden_plans = 1 if r() < 0.2 else 0  # plans before the data began
        plans_so_far = hidden_plans
        referrals: list[Referral] = []
        assessments: list[Assessment] = []
        s47s: list[Section47] = []
        transfers: list[TransferInConference] = []
        plans: list[ChildProtectionPlan] = []
        cid = ""
        while t <= end:
            ref = next_wd(t) if r() < 0.96 else t
            if ref > end:
                break
            closure: int
            reason: str
            nfa = False
            # Ordinals of the case's events; 0 = did not happen.
            a_start = a_auth = s_start = conf = p_start = p_end = tr_conf = 0
            not_required = 0  # the day the enquiry decided no conference was needed
            u = r()
            if u < 0.075:
                # No further action on the referral itself.
                nfa = True
                closure = ref + int(r() * 4)
                reason = "RC7"
            else:
                s47 = r() < 0.33
                transfer = not s47 and r() < 0.008
                assessed = r() < (0.92 if (s47 or transfer) else 0.56)
                last = ref
                if assessed:
                    a_start = add_wd(ref, int(r() * 4) if r() < 0.8 else 4 + int(r() * 12))
                    a_auth = add_wd(a_start, _assessment_days(r))
                    last = a_auth
                if s47:
                    s_start = add_wd(ref, int(r() * 3) if r() < 0.75 else 3 + int(r() * 20))
                    last = max(last, s_start)
                    if r() < 0.42:
                        conf = add_wd(s_start, _conference_days(r))
                        last = max(last, conf)
                        if r() < 0.72:
                            p_start = conf
                    else:
                        decided = add_wd(s_start, 5 + int(r() * 20))
                        if r() < 0.8:
                            not_required = decided
                        last = max(last, decided)
                elif transfer:
                    tr_conf = add_wd(ref, 2 + int(r() * 12))
                    p_start = tr_conf
                    last = max(last, tr_conf)
                if p_start:
                    p_end = p_start + _plan_days(r)
                    last = max(last, p_end)
                    closure = last + 20 + int(r() * 200)  # step down to a child in need plan
                    reason = _draw(r, _CLOSE_AFTER_SERVICES)
                elif (assessed or s47) and r() < 0.45:
                    closure = last + int(r() * 3)
                    # RC8/RC9 close a case after an assessment with nothing else recorded (no
                    # enquiry); a case with an enquiry closes as services ceased (RC7).
                    reason = "RC7" if s47 or not assessed else _draw(r, _CLOSE_AFTER_ASSESSMENT)
                elif assessed or s47:
                    closure = last + 30 + int(r() * 330)  # services as a child in need
                    reason = _draw(r, _CLOSE_AFTER_SERVICES)
                else:
                    closure = ref + 1 + int(r() * 30)
                    reason = "RC7"
            if closure >= look_back:
                if not cid:
                    number += 1
                    cid = f"SYNC{number:07d}"
                open_ = closure > end
                source, need = traits.referral(cid, ref)
                referrals.append(
                    new_referral(
                        cid,
                        dates[ref - base],
                        None if open_ else dates[closure - base],
                        None if open_ else reason,
                        nfa,
                        source,
                        need,
                    )
                )
                if a_start and a_start <= end:
                    assessments.append(
                        new_assessment(
                            cid,
                            dates[a_start - base],
                            dates[a_auth - base] if a_auth <= end else None,
                        )
                    )
                if s_start and s_start <= end:
                    s47s.append(
                        new_s47(
                            cid,
                            dates[s_start - base],
                            dates[conf - base] if conf and conf <= end else None,
                            0 < not_required <= end,
                        )
                    )
                if tr_conf and tr_conf <= end:
                    transfers.append(new_transfer_in(cid, dates[tr_conf - base]))
                if p_start and p_start <= end:
                    # Reviews: 3 months after the start, then every 6 months; mostly on time.
                    reviews: list[_dt.date] = []
                    due = add_months(p_start, 3)
                    while True:
                        held = due - int(r() * 21) if r() < 0.94 else due + 1 + int(r() * 30)
                        if held >= p_end or held > end:
                            break
                        reviews.append(dates[held - base])
                        due = add_months(held, 6)
                    plans.append(
                        new_plan(
                            cid,
                            dates[p_start - base],
                            dates[p_end - base] if p_end <= end else None,
                            tuple(reviews),
                            plans_so_far,
                        )
                    )
            if p_start:
                plans_so_far += 1
            if closure >= end:
                break
            # A further referral: most follow soon after the closure, some much later.
            if r() >= 0.30:
                break
            # (A referral more than a year after the last is counted as a new chain, whose
            # first referral is equally not a re-referral; keeping chains short lets the
            # volumes settle within the warm-up.)
            gap = 1 + int(rng.expovariate(1 / 140))
            t = closure + gap
        if cid:
            dob, sex, ethnicity, disabilities = traits.cin_child(cid, referrals[0].date)
            yield ChildRecords(
                cid,
                cin_children=[make.cin_child(cid, dob, sex, ethnicity, disabilities)],
                referrals=referrals,
                assessments=assessments,
                section47s=s47s,
                transfer_ins=transfers,
                plans=plans,
            )
