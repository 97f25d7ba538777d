"""The udev rule that gives the service user access to Evolis USB printers (vendor 0x0f49)."""

from pathlib import Path

RULE_FILE = Path(__file__).with_name("60-ktp-evolis.rules")
INSTALL_PATH = Path("/etc/udev/rules.d") / RULE_FILE.name
