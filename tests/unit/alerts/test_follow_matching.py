"""Matching publishes against follows: the right trades, each version once, bad follows refused."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from stockyard.alerts.follows import Follow, FollowError, FollowFilter
from stockyard.alerts.planning import plan_deliveries
from stockyard.alerts.service import add_follow, resolve_filter
from stockyard.alerts.store import AlertStore
from stockyard.warehouse.follow_matching import FollowCriteria, match_versions
from support.alerts import T0, Published

SITE = "https://stockyard.example"


def _follow(store: AlertStore, published: Published, **wanted: object) -> Follow:
    follow = add_follow(
        store,
        published.con,
        name="test",
        channel="webhook",
        target="http://127.0.0.1:9/hook",
        wanted=FollowFilter(**wanted),  # type: ignore[arg-type]
    )
    # Followed before the first publish of the test, whatever the wall clock says.
    return _backdate(store, follow, T0)


def _backdate(store: AlertStore, follow: Follow, when: object) -> Follow:
    with store._connect() as con:
        con.execute(
            "UPDATE follows SET created_at = ? WHERE follow_id = ?",
            (when.isoformat(), follow.follow_id),  # type: ignore[attr-defined]
        )
    found = store.follow(follow.follow_id)
    assert found is not None
    return found


def _events(store: AlertStore) -> dict[str, list[tuple[str, str]]]:
    """follow id -> [(event, trade id)] over every delivery planned so far."""
    owed: dict[str, list[tuple[str, str]]] = {}
    for delivery in store.deliveries():
        owed.setdefault(delivery.follow_id, []).extend(
            (e["event"], e["trade_id"]) for e in store.payload(delivery.delivery_id)["events"]
        )
    return owed


def test_a_member_follow_is_told_that_members_new_trades_once(
    store: AlertStore, published: Published
) -> None:
    pelosi = _follow(store, published, member="pelosi")
    assert pelosi.filter.member == "P000197"  # a name is resolved to the one member it names
    nvda = _follow(store, published, ticker="nvda", min_amount=15001)
    published.publish()
    plan = plan_deliveries(store, published.con, site_url=SITE, now=Published.at(1))
    assert plan.deliveries == 2
    owed = _events(store)
    assert sorted(t for _, t in owed[pelosi.follow_id]) == [
        "t21", "t22", "t23", "t24", "t25", "t26", "t27",
    ]  # fmt: skip
    # NVDA at $15,001 or more: Roberts' spouse's sale and Pelosi's two; not Wyden's $1,001 buy
    assert sorted(t for _, t in owed[nvda.follow_id]) == ["t18", "t24", "t25"]
    delivery = next(d for d in store.deliveries() if d.follow_id == nvda.follow_id)
    events = store.payload(delivery.delivery_id)["events"]
    event = next(e for e in events if e["trade_id"] == "t24")
    assert event["links"]["filing"] == f"{SITE}/filings/20019331"
    assert event["links"]["member"] == f"{SITE}/members/P000197"
    assert event["headline"] == "Nancy Pelosi bought NVDA ($500,001–$1,000,000)"

    # Planning again, or a publish that changes nothing, owes nothing more.
    assert plan_deliveries(store, published.con, site_url=SITE, now=Published.at(1)).deliveries == 0
    published.publish()
    assert plan_deliveries(store, published.con, site_url=SITE, now=Published.at(2)).deliveries == 0
    assert len(store.deliveries()) == 2


def test_an_amended_trade_is_sent_as_amended_naming_what_changed(
    store: AlertStore, published: Published
) -> None:
    crenshaw = _follow(store, published, member="C001120")
    published.publish()
    plan_deliveries(store, published.con, site_url=SITE, now=Published.at(1))
    # A review corrects the amount of Crenshaw's Rivian purchase; the next publish carries it.
    published.con.execute(
        "UPDATE marts.fct_trades SET amount_min = 15001, amount_max = 50000 WHERE trade_id = 't28'"
    )
    published.publish()
    plan_deliveries(store, published.con, site_url=SITE, now=Published.at(2))
    second = next(d for d in store.deliveries() if d.publish_id == "p2")
    assert second.follow_id == crenshaw.follow_id
    [event] = store.payload(second.delivery_id)["events"]
    assert (event["event"], event["trade_id"]) == ("amended", "t28")
    assert event["changed"] == [
        {"field": "amount_min", "old": 1001, "new": 15001},
        {"field": "amount_max", "old": 15000, "new": 50000},
    ]
    # t29 was already superseded by t30 when first published: only the current row is new.
    first = [t for e, t in _events(store)[crenshaw.follow_id] if e == "new"]
    assert "t29" not in first and "t30" in first


def test_a_follow_hears_only_of_what_was_published_after_it_was_made(
    store: AlertStore, published: Published
) -> None:
    published.publish()
    late = _backdate(store, _follow(store, published, state="CA"), Published.at(1) + timedelta(1))
    plan_deliveries(store, published.con, site_url=SITE, now=Published.at(2))
    assert _events(store).get(late.follow_id) is None


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ({"member": "Z999999"}, "no member matches"),
        ({"member": "r"}, "names several members"),
        ({"committee": "NOPE1"}, "no committee"),
    ],
)
def test_a_follow_naming_nothing_published_is_refused(
    store: AlertStore, published: Published, wanted: dict[str, str], message: str
) -> None:
    with pytest.raises(FollowError, match=message):
        resolve_filter(published.con, FollowFilter(**wanted))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("channel", "target"),
    [("webhook", "ftp://example.org/x"), ("webhook", "not a url"), ("email", "nobody")],
)
def test_a_target_that_cannot_receive_is_refused(
    store: AlertStore, published: Published, channel: str, target: str
) -> None:
    with pytest.raises(FollowError):
        add_follow(
            store, published.con, name="x", channel=channel, target=target, wanted=FollowFilter()
        )
    assert store.follows() == []


def test_one_join_over_many_follows_equals_matching_each_follow_alone(
    published: Published,
) -> None:
    published.publish()
    rng = random.Random(7)
    choices = {
        "bioguide_id": ["P000197", "C001120", "W000779", "T000278"],
        "state": ["CA", "TX", "OR", "VA"],
        "party": ["D", "R"],
        "chamber": ["house", "senate"],
        "committee": ["SSAP", "SSBK", "HSAS"],
        "ticker": ["NVDA", "AMZN", "GOOGL", "COST"],
        "tx_type": ["P", "S", "S (partial)"],
        "owner": ["self", "SP", "JT", "DC"],
        "min_amount": [1001, 15001, 500001],
    }
    follows = []
    for n in range(120):
        picked = {key: rng.choice(values) for key, values in choices.items() if rng.random() < 0.3}
        base = FollowCriteria(follow_id=f"f{n:03}", created_at=T0, **picked)  # type: ignore[arg-type]
        follows.append(replace(base, oversight=rng.random() < 0.1))
    together = match_versions(published.con, follows, ["p1"]).pairs()
    alone = {pair for f in follows for pair in match_versions(published.con, [f], ["p1"]).pairs()}
    assert together == alone
    assert len(together) > 20  # the filters are not so narrow that nothing matches
