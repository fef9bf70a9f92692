import logging
import re
import time
from binascii import unhexlify

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.org.demo import DEMO_PASSWORD

PASSWORD = DEMO_PASSWORD
ZHUZHENG_MOBILE = "13900000118"


def sms_code_from(caplog, mobile: str) -> str:
    """The last code the console SMS channel wrote to the log "lvzhi.notify" for `mobile`."""
    codes = [
        m
        for r in caplog.records
        if r.name == "lvzhi.notify" and mobile in r.getMessage()
        for m in re.findall(r"\b(\d{6})\b", r.getMessage().split(":", 1)[1])
    ]
    assert codes, f"no SMS to {mobile} in the log"
    return codes[-1]


def totp_code(key_hex: str, steps: int = 0) -> str:
    """The code an authenticator app shows now (or `steps` periods of 30 s from now)."""
    t = TOTP(unhexlify(key_hex))
    t.time = time.time() + steps * 30
    return f"{t.token():06d}"


def give_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def log_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def info_logs(caplog):
    caplog.set_level(logging.INFO, logger="lvzhi")
