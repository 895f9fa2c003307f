"""Which kind of account a login is: judged by host (never substring), then by whole words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safetykit.content.accounts import account_kind, load_accounts
from safetykit.passwords.rotation import Account, AccountAnswers, rotation_order
from safetykit.passwords.sites import (
    friendly_label,
    host_of,
    identity_of,
    kind_for,
    site_of,
)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.dropbox.com/login", "cloud_storage"),
        ("https://www.netflix.com/login", "other"),
        ("https://mailbox.org", "other"),
        ("https://x.com/i/flow/login", "x_twitter"),
        ("https://mobile.x.com/", "x_twitter"),
        ("https://twitter.com/login", "x_twitter"),
        ("https://notx.com/", "other"),
        ("https://x.com.evil.example/", "other"),
        ("https://mail.google.com/mail/u/0/", "gmail"),
        ("https://accounts.google.com/signin", "google_account"),
        ("https://drive.google.com/", "cloud_storage"),
        ("https://appleid.apple.com/", "apple_account"),
        ("https://www.icloud.com/", "icloud_mail"),
        ("android://hash@com.instagram.android/", "instagram"),
        ("https://secure.chase.com/web/auth", "bank"),
    ],
)
def test_kind_by_host_never_by_substring(url: str, kind: str) -> None:
    assert kind_for("", url) == kind


@pytest.mark.parametrize(
    "url",
    [
        # United States
        "https://www.t-mobile.com/", "https://www.verizon.com/", "https://www.att.com/",
        "https://www.uscellular.com/", "https://www.cricketwireless.com/",
        # United Kingdom
        "https://id.ee.co.uk/", "https://www.o2.co.uk/", "https://www.vodafone.co.uk/",
        "https://www.three.co.uk/", "https://www.giffgaff.com/",
        # Canada
        "https://www.rogers.com/", "https://www.bell.ca/", "https://www.telus.com/",
        "https://www.fido.ca/", "https://www.freedommobile.ca/",
        # Australia
        "https://www.telstra.com.au/", "https://www.optus.com.au/",
        "https://www.vodafone.com.au/", "https://www.amaysim.com.au/",
    ],
)
def test_major_carriers_are_the_phone_carrier(url: str) -> None:
    assert kind_for("", url) == "phone_carrier"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("T-Mobile", "phone_carrier"),
        ("AT&T Wireless", "phone_carrier"),
        ("My Verizon", "phone_carrier"),
        ("Three", "phone_carrier"),
        ("Three little pigs recipe", "other"),  # a short common word counts only as the title
        ("Bell", "phone_carrier"),
        ("Taco Bell rewards", "other"),
        ("Google Drive", "cloud_storage"),
        ("Gmail - work", "gmail"),
        ("Box (old)", "cloud_storage"),
        ("Ring doorbell", "other"),
        ("Ring: front door", "smart_home"),
        ("accounts.google.com", "google_account"),
        ("Netflix", "other"),
        ("Box", "cloud_storage"),
        ("Xbox", "microsoft_account"),
    ],
)
def test_titles_are_judged_by_whole_words(title: str, kind: str) -> None:
    assert kind_for(title, "") == kind


def test_the_host_wins_over_the_title() -> None:
    assert kind_for("Twitter (old)", "https://www.dropbox.com/") == "cloud_storage"


@pytest.mark.parametrize(
    ("title", "url", "username", "label"),
    [
        ("accounts.google.com", "https://accounts.google.com/", "sam@gmail.com",
         "Google Account (sam@gmail.com)"),
        ("appleid.apple.com", "https://appleid.apple.com/", "sam@icloud.com",
         "Apple Account (sam@icloud.com)"),
        ("", "https://www.instagram.com/", "sam", "Instagram (sam)"),
        ("Netflix", "https://www.netflix.com/", "", "Netflix"),
        ("", "https://login.example.co.uk/", "", "example.co.uk"),
        ("My bank", "https://secure.chase.com/", "sam", "My bank (sam)"),
    ],
)
def test_friendly_labels(title: str, url: str, username: str, label: str) -> None:
    assert friendly_label(title, url, username) == label


def test_hosts_and_sites() -> None:
    assert host_of("HTTPS://WWW.Example.COM:8443/path?q=1") == "example.com"
    assert host_of("example.com/login") == "example.com"
    assert host_of("android://abc==@com.whatsapp/") == "whatsapp.com"
    assert host_of("") == host_of("   ") == host_of("http://[::1") == ""
    assert site_of("mail.example.co.uk") == "example.co.uk"
    assert site_of("a.b.example.com") == "example.com"
    assert site_of("192.168.1.1") == "192.168.1.1"


def test_gmail_and_google_account_are_one_sign_in_but_two_banks_are_not() -> None:
    gmail = identity_of("Gmail", "https://mail.google.com/", "Sam@Gmail.com ")
    google = identity_of("Google", "https://accounts.google.com/", "sam@gmail.com")
    assert gmail == google
    chase = identity_of("Chase", "https://www.chase.com/", "sam")
    citi = identity_of("Citi", "https://online.citi.com/", "sam")
    assert chase != citi
    assert identity_of("Chase", "https://secure.chase.com/", "sam") == chase


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_title_and_address_give_a_catalogue_kind(title: str, url: str) -> None:
    kinds = {k.id for k in load_accounts()}
    assert kind_for(title, url) in kinds


def _account(kind: str, label: str) -> Account:
    return Account(label=label, kind=account_kind(kind), answers=AccountAnswers())


def test_carrier_near_the_top_and_cloud_storage_before_social() -> None:
    everything = [_account(k.id, k.name) for k in load_accounts()]
    order = [step.account.kind.id for step in rotation_order(everything)]
    assert order.index("phone_carrier") < order.index("bank")
    assert order.index("bank") < order.index("cloud_storage")
    assert order.index("cloud_storage") < min(order.index(k) for k in ("instagram", "x_twitter"))
    assert order.index("cloud_storage") < order.index("shopping")
    tiers = [account_kind(kind).tier for kind in order]
    assert tiers == sorted(tiers)
    assert order.index("phone_carrier") < len([k for k in load_accounts() if k.tier == 1])
