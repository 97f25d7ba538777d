"""An Evolis-protocol card printer behind any transport: identity, status, counters, printing.

Commands go out one at a time and each reply is read before the next command (lock-step), so an
error names the command that failed and the printer's card counter can be read right after it:
that counter, not guesswork, says whether a blank card was consumed.
"""

from __future__ import annotations

import time
from dataclasses import replace

from drivers import errors
from drivers.evolis import commands as cmd
from drivers.evolis import replies
from drivers.evolis.decoder import ERROR_COMMAND, ERROR_PARAMETERS
from drivers.evolis.encoder import EncodeOptions, encode_card
from drivers.jobs import CardJob
from drivers.status import Counters, PrinterIdentity, PrinterStatus, PrintResult, Settlement
from drivers.transports import Transport

QUIET_SECONDS = 0.2
"""A reply without a terminator is complete once the printer has been quiet this long."""


def command_label(frame: bytes) -> str:
    head = frame[1:40].split(b"\r", 1)[0]
    if head.startswith(b"Db"):
        head = b";".join(head.split(b";")[:3])
    return head.decode("ascii", "replace")


class Printer:
    """Use as a context manager: ``with open_printer(uri) as printer: printer.print_card(job)``."""

    def __init__(
        self,
        transport: Transport,
        *,
        options: EncodeOptions | None = None,
        reply_timeout: float = 5.0,
        download_timeout: float = 60.0,
        print_timeout: float = 180.0,
        busy_wait: float = 30.0,
    ) -> None:
        self.transport = transport
        self.options = options or EncodeOptions()
        self.reply_timeout = reply_timeout
        self.download_timeout = download_timeout
        self.print_timeout = print_timeout
        self.busy_wait = busy_wait
        self._buffer = bytearray()
        self._identity: PrinterIdentity | None = None
        self._out_of_step = False
        self._knows_state = True

    def __repr__(self) -> str:
        return f"<Printer {self.transport.description}>"

    def open(self) -> Printer:
        self.transport.open()
        self._buffer.clear()
        self._identity = None
        self._out_of_step = False
        self._knows_state = True
        return self

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Printer:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # the conversation

    def ask(self, frame: bytes, timeout: float | None = None) -> str:
        """Send one command and return the printer's reply; a refusal raises its typed error."""
        reply = self._exchange(frame, timeout)
        error = replies.error_for(reply, command_label(frame))
        if error is not None:
            raise error
        return reply

    def _exchange(self, frame: bytes, timeout: float | None = None) -> str:
        """One command and its reply as the printer wrote it, error texts included."""
        if not self.transport.bidirectional:
            raise errors.OneWayPrinterError(f"{self.transport.description} cannot answer.")
        if self._out_of_step:
            self._drain()
        try:
            self.transport.write(frame)
            return self._read_reply(self.reply_timeout if timeout is None else timeout)
        except (errors.PrinterTimeoutError, errors.PrinterDisconnectedError):
            self._out_of_step = True
            raise

    def _read_reply(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            cut = next((i for i, b in enumerate(self._buffer) if b in (0x0D, 0x00)), -1)
            if cut >= 0:
                raw = bytes(self._buffer[:cut])
                del self._buffer[: cut + 1]
                if raw:
                    return replies.decode(raw)
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise errors.PrinterTimeoutError(
                    f"{self.transport.description} gave no answer within {timeout:g} s.",
                    card_consumed=None,
                )
            wait = min(remaining, QUIET_SECONDS) if self._buffer else remaining
            chunk = self.transport.read(4096, wait)
            if chunk:
                self._buffer += chunk
            elif self._buffer:
                raw = bytes(self._buffer)
                self._buffer.clear()
                return replies.decode(raw)

    def _drain(self) -> None:
        """After an interrupted exchange: bring the printer's parser back to the start of a
        command (it may still wait for the rest of a bitmap; the transport's reset, USB's
        SOFT_RESET) and throw away late replies before asking anything new."""
        self._buffer.clear()
        self.transport.resync()
        while self.transport.read(4096, QUIET_SECONDS):
            pass
        self._out_of_step = False

    def _optional(self, frame: bytes) -> str | None:
        """A query some models may not know: None instead of an error."""
        try:
            return self.ask(frame)
        except errors.CommandRejectedError:
            return None

    # what the app asks

    def identity(self) -> PrinterIdentity:
        if self._identity is None:
            try:
                device_id = self.transport.device_id()
            except errors.PrinterError:
                device_id = {}
            self._identity = PrinterIdentity(
                model=self.ask(cmd.READ_MODEL),
                serial=self.ask(cmd.READ_SERIAL),
                firmware=self.ask(cmd.READ_FIRMWARE),
                head=self._optional(cmd.READ_HEAD),
                device_id=device_id,
            )
        return self._identity

    def counters(self) -> Counters:
        return Counters(
            cards_inserted=self._number(cmd.READ_CARDS_INSERTED),
            panels_printed=self._number(cmd.READ_PANELS_PRINTED),
        )

    def _number(self, frame: bytes) -> int:
        reply = self.ask(frame)
        try:
            return replies.parse_int(reply)
        except errors.PrinterFaultError:
            self._out_of_step = True  # the answer to another question: resync before the next
            raise

    def status(self) -> PrinterStatus:
        """What the printer says of itself. Printing and jams are what it reports (its state
        query, ``replies.printer_state``); a printer that cannot say leaves only "a card is
        inside", which counts as printing (see ``_wait_while_printing`` for when it is a jam)."""
        state = self._state()
        cover = self._optional(cmd.READ_COVER_SENSOR)
        feeder = self._optional(cmd.READ_FEEDER_SENSOR)
        try:
            remaining = self._number(cmd.READ_RIBBON_REMAINING)
        except errors.CommandRejectedError:
            remaining = None
        card_inside = replies.card_inside(self.ask(cmd.READ_CARD_POSITION))
        printing, jam = state if state is not None else (card_inside, False)
        return PrinterStatus(
            online=True,
            cover_open=cover is not None and replies.cover_open(cover),
            feeder_empty=feeder is not None and replies.feeder_empty(feeder),
            ribbon_ended=remaining == 0,
            ribbon_remaining=remaining,
            card_inside=card_inside,
            counters=self.counters(),
            printing=printing,
            jam=jam,
        )

    def _state(self) -> tuple[bool, bool] | None:
        """(printing, jammed) as the printer reports them; None if it has no state query."""
        if not self._knows_state:
            return None
        try:
            reply = self._exchange(cmd.READ_STATE)
        except errors.PrinterTimeoutError:
            reply = None  # a model that keeps silent on what it does not know
        if reply is None or reply in (ERROR_COMMAND, ERROR_PARAMETERS):
            self._knows_state = False
            return None
        return replies.printer_state(reply)

    def panels_for(self, job: CardJob) -> int:
        """How far this job moves the printer's ``Rco;p`` counter once all of it is printed:
        its panel downloads, or 1 where that counter counts cards (``replies``)."""
        if replies.PRINTED_COUNTER_COUNTS == "cards":
            return 1
        return cmd.panels_per_card(self.options.ribbon, len(job.sides))

    def print_card(self, job: CardJob, *, expect_cards_inserted: int | None = None) -> PrintResult:
        """Print one card and return once the printer says it came out.

        ``expect_cards_inserted``: the counter value the caller stored before calling; if the
        printer's counter has moved since, another job used the printer and nothing is sent.
        """
        frames = encode_card(job, self.options)
        started = time.monotonic()
        if not self.transport.bidirectional:
            for frame in frames:
                self.transport.write(frame)
            return PrintResult(job.job_id, False, len(job.sides), time.monotonic() - started)
        try:
            before = self._ready_for(job, expect_cards_inserted)
        except errors.PrinterError as exc:
            exc.card_consumed = False
            raise
        try:
            for frame in frames:
                self.ask(frame, self._timeout_for(frame))
        except errors.PrinterError as exc:
            exc.card_consumed = self._consumed_since(before)
            raise
        try:
            after = self.counters()
        except errors.PrinterError:
            after = None
        return PrintResult(
            job.job_id, True, len(job.sides), time.monotonic() - started, before, after
        )

    def _ready_for(self, job: CardJob, expect_cards_inserted: int | None) -> Counters:
        """Checks before any byte of the card is sent; failing here never touches a blank."""
        status = self._wait_while_printing(self.status())
        before = status.counters
        assert before is not None
        if expect_cards_inserted is not None and before.cards_inserted != expect_cards_inserted:
            raise errors.PrinterBusyError(
                f"The printer's card counter is {before.cards_inserted}, expected "
                f"{expect_cards_inserted}: another job used it. Settle that job first."
            )
        refuse(status)
        if status.printing:
            raise errors.PrinterBusyError(
                f"The printer is still printing another card after {self.busy_wait:g} s."
            )
        if self.identity().is_virtual:
            self.ask(cmd.virtual_job(job.job_id))
        return before

    def _wait_while_printing(self, status: PrinterStatus) -> PrinterStatus:
        """Give a card being printed (another connection's) ``busy_wait`` seconds to come out.
        A jam the printer reports ends the wait at once. A printer without a state query only
        says that a card is inside: still there after ``busy_wait``, it is taken as stuck."""
        deadline = time.monotonic() + self.busy_wait
        while status.printing and not status.jam and time.monotonic() < deadline:
            time.sleep(0.1)
            status = self.status()
        if status.printing and not self._knows_state:
            status = replace(status, printing=False, jam=True)
        return status

    def _timeout_for(self, frame: bytes) -> float:
        if frame == cmd.END_SEQUENCE:
            return self.print_timeout
        return self.download_timeout if frame.startswith(b"\x1bDb") else self.reply_timeout

    def _consumed_since(self, before: Counters) -> bool | None:
        if self._out_of_step:
            return None
        try:
            return self.counters().cards_inserted > before.cards_inserted
        except errors.PrinterError:
            return None

    def settle(
        self,
        cards_inserted_before: int,
        panels_before: int | None = None,
        panels_in_job: int | None = None,
    ) -> Settlement:
        """After a crash or a lost link: what became of the job started at these counter
        values (``panels_before``, ``panels_in_job``: ``Rco;p`` then and ``panels_for(job)``;
        without them only the blank count and the printer's state can tell).

        A card being printed gets ``busy_wait`` seconds to come out first; one still printing
        after that raises ``PrinterBusyError``: ask again later.
        """
        status = self._wait_while_printing(self.status())
        if status.printing:
            raise errors.PrinterBusyError(
                f"The printer is still printing after {self.busy_wait:g} s; settle again later.",
                card_consumed=None,
            )
        return Settlement.judge(status, cards_inserted_before, panels_before, panels_in_job)


def refuse(status: PrinterStatus) -> None:
    """Raise the error for a printer that cannot take a card now (no blank is touched)."""
    if status.jam:
        raise errors.CardJamError("A card is stuck inside the printer and does not come out.")
    if status.cover_open:
        raise errors.CoverOpenError("The printer cover is open.")
    if status.ribbon_ended:
        raise errors.RibbonEndedError("The ribbon has ended.")
    if status.feeder_empty:
        raise errors.FeederEmptyError("The card feeder is empty.")
