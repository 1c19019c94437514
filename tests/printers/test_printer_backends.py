"""Choosing and opening a backend from a printer URI."""

import pytest
from escpos.printer import Serial, Usb

from printers import PrinterConfigError, PrinterUnavailable
from printers.backends import can_read_status, network, open_printer, parse_uri
from printers.backends.memory import MemoryPrinter
from printers.backends.network import TicketNetwork


@pytest.mark.parametrize(
    ("uri", "scheme", "target", "width", "cut"),
    [
        ("tcp://10.0.0.5:9100", "tcp", "10.0.0.5:9100", 576, "partial"),
        ("tcp://printer.local?width=384&cut=full", "tcp", "printer.local", 384, "full"),
        ("usb://04b8:0e15", "usb", "04b8:0e15", 576, "partial"),
        ("serial:/dev/ttyS0?baudrate=19200", "serial", "/dev/ttyS0", 576, "partial"),
        ("file:/dev/usb/lp0?cut=none", "file", "/dev/usb/lp0", 576, "none"),
        ("file:///dev/usb/lp0", "file", "/dev/usb/lp0", 576, "partial"),
        ("memory:", "memory", "", 576, "partial"),
        ("dummy:kiosk-2?paper=low", "dummy", "kiosk-2", 576, "partial"),
    ],
)
def test_good_uris_are_parsed(uri, scheme, target, width, cut):
    address = parse_uri(uri)

    assert (address.scheme, address.target, address.width_px, address.cut) == (
        scheme,
        target,
        width,
        cut,
    )


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("", "not a printer URI"),
        ("lp0", "not a printer URI"),
        ("ipp://printer/ipp", "unknown printer scheme 'ipp'"),
        ("tcp://printer?colour=red", "options must be"),
        ("tcp://printer?width=384&width=576", "options must be"),
        ("tcp://printer?width=wide", "width must be a number"),
        ("tcp://printer?width=10", "width must be a number"),
        ("tcp://printer?cut=half", "cut must be one of"),
        ("tcp://printer?baudrate=9600", "options must be"),
        ("tcp://printer#top", "fragment"),
        ("memory:?paper=maybe", "paper must be one of"),
    ],
)
def test_bad_uris_raise_config_error_saying_what_is_wrong(uri, message):
    with pytest.raises(PrinterConfigError, match=message):
        open_printer(uri, timeout=1)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("tcp://", "tcp://HOST"),
        ("tcp://printer:port", "port must be a number"),
        ("tcp://printer:99999", "port must be a number"),
        ("tcp://printer/queue", "tcp://HOST"),
        ("file:", "file:/dev/usb/lp0"),
        ("file://host/dev/lp0", "file:/dev/usb/lp0"),
        ("serial:ttyS0", "serial:/dev/ttyS0"),
    ],
)
def test_malformed_targets_raise_config_error(uri, message, monkeypatch):
    monkeypatch.setattr(Serial, "is_usable", staticmethod(lambda: True))
    with pytest.raises(PrinterConfigError, match=message):
        open_printer(uri, timeout=1)


@pytest.mark.parametrize("uri", ["usb://04b8", "usb://zz:0e15", "usb://0:0", "usb://04b8:0e15:1"])
def test_malformed_usb_ids_raise_config_error(uri, monkeypatch):
    monkeypatch.setattr(Usb, "is_usable", staticmethod(lambda: True))

    with pytest.raises(PrinterConfigError, match="usb://VENDOR:PRODUCT"):
        open_printer(uri, timeout=1)


@pytest.mark.parametrize(
    ("uri", "printer_class", "package"),
    [("usb://04b8:0e15", Usb, "python3-usb"), ("serial:/dev/ttyS0", Serial, "python3-serial")],
)
def test_missing_driver_library_names_the_debian_package(uri, printer_class, package, monkeypatch):
    monkeypatch.setattr(printer_class, "is_usable", staticmethod(lambda: False))

    with pytest.raises(PrinterConfigError, match=package):
        open_printer(uri, timeout=1)


def test_tcp_uri_opens_a_network_printer_with_our_timeout(fake_printer):
    printer = fake_printer()

    opened = open_printer(printer.uri, timeout=3)
    try:
        assert isinstance(opened, TicketNetwork)
        assert opened.timeout == 3  # not python-escpos's 60 s default
        assert opened.profile.profile_data["media"]["width"]["pixels"] == 576
    finally:
        opened.close()


def test_port_defaults_to_9100(monkeypatch):
    dialled = []

    def refuse(address, timeout):
        dialled.append((address, timeout))
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(network.socket, "create_connection", refuse)

    with pytest.raises(PrinterUnavailable, match="printer.local:9100.*refused"):
        open_printer("tcp://printer.local", timeout=2)

    assert dialled == [(("printer.local", 9100), 2)]


def test_memory_and_dummy_schemes_open_a_recording_printer():
    assert isinstance(open_printer("memory:a", timeout=1), MemoryPrinter)
    assert isinstance(open_printer("dummy:", timeout=1), MemoryPrinter)


def test_only_backends_that_can_read_are_asked_for_paper_status():
    assert can_read_status(parse_uri("tcp://printer"))
    assert can_read_status(parse_uri("memory:"))
    assert not can_read_status(parse_uri("file:/dev/usb/lp0"))


def test_a_relative_file_path_is_written_below_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    printer = open_printer("file:var/printer.escpos", timeout=1)
    printer._raw(b"\x1b@")
    printer.close()
    assert (tmp_path / "var" / "printer.escpos").read_bytes() == b"\x1b@"


def test_missing_device_file_is_unavailable(tmp_path):
    with pytest.raises(PrinterUnavailable, match="cannot open printer file"):
        open_printer(f"file:{tmp_path}/no/such/dir/lp0", timeout=1)
