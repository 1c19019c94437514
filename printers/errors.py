"""Errors raised by the printers package, all under one base class."""


class PrinterError(Exception):
    """A ticket could not be rendered or printed; the message says why."""


class PrinterConfigError(PrinterError):
    """The printer URI, its options or the fonts are wrong; retrying will not help."""


class PrinterUnavailable(PrinterError):
    """The printer refused the connection, was not found, or did not take the job in time."""


class PrinterPaperOut(PrinterError):
    """The printer reports that it has no paper."""
