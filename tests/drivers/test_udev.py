from drivers.udev import INSTALL_PATH, RULE_FILE


def test_udev_rule_matches_evolis_usb_devices_for_group_lp():
    rules = [
        line for line in RULE_FILE.read_text().splitlines() if line and not line.startswith("#")
    ]
    assert rules == [
        'SUBSYSTEM=="usb", ATTR{idVendor}=="0f49", MODE="0660", GROUP="lp", TAG+="uaccess"'
    ]
    assert str(INSTALL_PATH) == "/etc/udev/rules.d/60-ktp-evolis.rules"
