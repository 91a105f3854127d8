"""Tests of the carrier emulator against a real emulator process on a free loopback port.

    python3 -m unittest discover -s tests/emulator -v

Every test runs under an alarm (TEST_SECONDS) and every socket has a timeout, so none can hang.
"""
import json
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, "carrier_emulator.py")
TEST_SECONDS = 30


def python_with_aiosmtpd():
    """The interpreter to run the emulator with: PTA_PYTHON, this one if it has aiosmtpd, else Debian's."""
    if os.environ.get("PTA_PYTHON"):
        return os.environ["PTA_PYTHON"]
    try:
        import aiosmtpd  # noqa: F401
        return sys.executable
    except ImportError:
        return "/usr/bin/python3"  # where python3-aiosmtpd installs (a pyenv python3 may not see it)


class Emulator:
    """One emulator process with its own config and ledger in a temp dir."""

    def __init__(self, config=None, extra_args=()):
        self.dir = tempfile.TemporaryDirectory(prefix="carrier-emulator-")
        self.ledger = os.path.join(self.dir.name, "ledger.jsonl")
        self.stderr_path = os.path.join(self.dir.name, "stderr.log")
        args = [python_with_aiosmtpd(), EMULATOR, "--port", "0", "--ledger", self.ledger, *extra_args]
        if config is not None:
            path = os.path.join(self.dir.name, "config.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(config, f)
            args += ["--config", path]
        # stderr goes to a file: a pipe nobody reads would fill up and stall the emulator.
        self._stderr = open(self.stderr_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr, text=True)
        line = self.process.stdout.readline()  # bounded by the test's alarm
        if not line.startswith("READY port="):
            self.stop()
            why = self.stderr()
            self.dir.cleanup()
            raise RuntimeError(f"emulator did not start: {line!r} {why}")
        self.port = int(line.strip().split("=", 1)[1])

    def smtp(self):
        client = smtplib.SMTP("127.0.0.1", self.port, timeout=5)
        client.ehlo("test")
        return client

    def entries(self):
        with open(self.ledger, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def stderr(self):
        with open(self.stderr_path, encoding="utf-8") as f:
            return f.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self._stderr.close()
        return self.process.returncode


def message(message_id, body="本日は臨時休校です。", size=None):
    # Filler in 76-character lines: SMTP caps a line at 1000 octets.
    text = body if size is None else "\r\n".join("x" * 76 for _ in range(size // 78 + 1))
    return (f"Message-ID: <{message_id}>\r\nSubject: test\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{text}\r\n").encode("utf-8")


class TimedTestCase(unittest.TestCase):
    def setUp(self):
        def timeout(signum, frame):
            raise TimeoutError(f"test exceeded {TEST_SECONDS} s")
        signal.signal(signal.SIGALRM, timeout)
        signal.alarm(TEST_SECONDS)
        self.emulators = []

    def tearDown(self):
        for emulator in self.emulators:
            emulator.stop()
            emulator.dir.cleanup()
        signal.alarm(0)

    def start(self, config=None, extra_args=()):
        emulator = Emulator(config, extra_args)
        self.emulators.append(emulator)
        return emulator


class CarrierEmulatorTests(TimedTestCase):
    def test_accepted_messages_land_in_the_ledger_once_each(self):
        emu = self.start()
        sent = {"m1@test": "taro@docomo.ne.jp", "m2@test": "hanako@ezweb.ne.jp",
                "m3@test": "jiro@x.vodafone.ne.jp", "m4@test": "taro..yamada.@docomo.ne.jp",
                "m5@test": "someone@example.org"}
        with emu.smtp() as client:
            for mid, rcpt in sent.items():
                self.assertEqual({}, client.sendmail("school@city.example", [rcpt], message(mid)))
        entries = emu.entries()
        self.assertEqual(sorted(f"<{m}>" for m in sent), sorted(e["message_id"] for e in entries))
        by_id = {e["message_id"]: e for e in entries}
        self.assertEqual("docomo", by_id["<m1@test>"]["carrier"])
        self.assertEqual("au", by_id["<m2@test>"]["carrier"])
        self.assertEqual("softbank", by_id["<m3@test>"]["carrier"])
        self.assertEqual(["taro..yamada.@docomo.ne.jp"], by_id["<m4@test>"]["recipients"])
        self.assertEqual("other", by_id["<m5@test>"]["carrier"])
        self.assertEqual("school@city.example", by_id["<m1@test>"]["mail_from"])
        self.assertEqual(len(message("m1@test")), by_id["<m1@test>"]["size"])
        self.assertEqual(0, emu.stop())
        self.assertIn("EMULATOR accepted=5 throttled=0 reset=0 unknown=0", emu.stderr())

    def test_past_the_rate_421_and_the_measured_rate_stays_within_15_percent(self):
        rate, seconds, threads = 40, 3.0, 3
        emu = self.start({"carriers": {"docomo": {"rate_per_second": rate, "max_connections": None}}})
        throttled, errors = [], []
        deadline = time.monotonic() + seconds

        def sender(worker):
            client, n = None, 0
            try:
                while time.monotonic() < deadline:
                    client = client or emu.smtp()
                    n += 1
                    try:
                        client.sendmail("s@city.example", ["taro@docomo.ne.jp"], message(f"{worker}-{n}@rate"))
                    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                        codes = [c for c, _ in error.recipients.values()] if isinstance(
                            error, smtplib.SMTPRecipientsRefused) else [error.smtp_code]
                        if codes != [421]:
                            raise
                        throttled.append(error)
                        client.close()  # 421 closes the channel
                        client = None
                        time.sleep(0.005)
            except Exception as error:  # surfaced in the main thread
                errors.append(error)
            finally:
                if client is not None:
                    client.close()

        start = time.monotonic()
        workers = [threading.Thread(target=sender, args=(i,)) for i in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=seconds + 10)
        elapsed = time.monotonic() - start
        self.assertEqual([], errors)
        self.assertTrue(throttled, "three senders flat out must be throttled")
        measured = len(emu.entries()) / elapsed
        self.assertLess(abs(measured - rate) / rate, 0.15, f"measured {measured:.1f}/s against {rate}/s")
        ids = [e["message_id"] for e in emu.entries()]
        self.assertEqual(len(ids), len(set(ids)), "no Message-ID twice in the ledger")

    def test_past_the_rate_au_resets_the_connection(self):
        emu = self.start({"carriers": {"au": {"rate_per_second": 2, "burst": 1}}})
        client = emu.smtp()
        client.sendmail("s@city.example", ["a@ezweb.ne.jp"], message("first@reset"))
        with self.assertRaises((smtplib.SMTPServerDisconnected, ConnectionResetError)):
            client.sendmail("s@city.example", ["b@ezweb.ne.jp"], message("second@reset"))
        client.close()
        self.assertEqual(["<first@reset>"], [e["message_id"] for e in emu.entries()])
        emu.stop()
        self.assertRegex(emu.stderr(), r"EMULATOR accepted=1 throttled=0 reset=1 ")

    def test_the_101st_recipient_is_refused(self):
        emu = self.start()
        with emu.smtp() as client:
            self.assertEqual(250, client.mail("s@city.example")[0])
            for i in range(100):
                self.assertEqual(250, client.rcpt(f"g{i}@docomo.ne.jp")[0], f"recipient {i + 1}")
            code, reply = client.rcpt("g100@docomo.ne.jp")
            self.assertEqual((452, b"4.5.3 too many recipients"), (code, reply))
            self.assertEqual(250, client.data(message("hundred@rcpt"))[0])
        self.assertEqual(100, len(emu.entries()[0]["recipients"]))

    def test_unknown_users_get_550_5_1_1_by_regex_or_by_list(self):
        emu = self.start({"carriers": {"softbank": {"unknown_users": ["gone.user"]}}})
        with emu.smtp() as client:
            client.mail("s@city.example")
            self.assertEqual((550, b"5.1.1 user unknown"), client.rcpt("unknown-42@docomo.ne.jp"))
            self.assertEqual((550, b"5.1.1 user unknown"), client.rcpt("Gone.User@softbank.ne.jp"))
            self.assertEqual(250, client.rcpt("unknown-42@softbank.ne.jp")[0], "softbank's list replaces the regex")
        emu.stop()
        self.assertIn("unknown=2", emu.stderr())

    def test_a_matching_first_delivery_is_taken_then_dropped_and_a_slow_one_waits(self):
        emu = self.start({"carriers": {"docomo": {"drop_after_data": "^drop", "slow_reply": "^slow", "slow_reply_seconds": 1}}})
        with self.assertRaises((smtplib.SMTPServerDisconnected, ConnectionError)):
            with emu.smtp() as client:
                client.sendmail("s@city.example", ["drop.a@docomo.ne.jp"], message("drop@dc"))
        with emu.smtp() as client:
            client.sendmail("s@city.example", ["drop.a@docomo.ne.jp"], message("drop@dc"))  # the retry gets through
            started = time.monotonic()
            client.sendmail("s@city.example", ["slow.b@docomo.ne.jp"], message("slow@dc"))
            slowed = time.monotonic() - started
            client.sendmail("s@city.example", ["slow.b@docomo.ne.jp"], message("slow@dc"))  # held back once only
        emu.stop()
        self.assertEqual(["<drop@dc>", "<drop@dc>", "<slow@dc>", "<slow@dc>"], [e["message_id"] for e in emu.entries()])
        self.assertGreaterEqual(slowed, 1.0)
        self.assertIn("dropped=1 slowed=1", emu.stderr())

    def test_a_matching_first_delivery_is_cut_off_during_data_and_nothing_is_taken(self):
        emu = self.start({"carriers": {"docomo": {"drop_during_data": "^cut"}}})
        with self.assertRaises((smtplib.SMTPServerDisconnected, ConnectionError)):
            with emu.smtp() as client:
                client.sendmail("s@city.example", ["cut.a@docomo.ne.jp"], message("cut@dc", size=64 * 1024))
        self.assertEqual([], emu.entries(), "a message cut off during DATA is not taken")
        with emu.smtp() as client:
            client.sendmail("s@city.example", ["cut.a@docomo.ne.jp"], message("cut@dc"))  # the retry gets through
            client.sendmail("s@city.example", ["plain@docomo.ne.jp"], message("plain@dc"))
        emu.stop()
        self.assertEqual(["<cut@dc>", "<plain@dc>"], [e["message_id"] for e in emu.entries()])
        self.assertIn("cut=1", emu.stderr())

    def test_too_big_messages_get_552_5_3_4(self):
        emu = self.start()
        with emu.smtp() as client:
            with self.assertRaises(smtplib.SMTPDataError) as refused:
                client.sendmail("s@city.example", ["a@softbank.ne.jp"], message("big@sb", size=1024 * 1024 + 1))
            self.assertEqual((552, b"5.3.4 message too big"), (refused.exception.smtp_code, refused.exception.smtp_error))
            client.sendmail("s@city.example", ["a@ezweb.ne.jp"], message("two-mb@au", size=2 * 1024 * 1024))
        self.assertEqual(["<two-mb@au>"], [e["message_id"] for e in emu.entries()])

    def test_past_the_connection_limit_421_and_the_slot_is_freed_on_close(self):
        emu = self.start({"carriers": {"docomo": {"max_connections": 1}}})
        first, second = emu.smtp(), emu.smtp()
        first.mail("s@city.example")
        self.assertEqual(250, first.rcpt("a@docomo.ne.jp")[0])
        second.mail("s@city.example")
        self.assertEqual(250, second.rcpt("a@ezweb.ne.jp")[0], "other carriers are not affected")
        second.rset()
        second.mail("s@city.example")
        self.assertEqual((421, b"4.7.0 too many connections"), second.rcpt("b@docomo.ne.jp"))
        second.close()
        first.quit()
        time.sleep(0.2)  # let the emulator see the QUIT and free the slot
        with emu.smtp() as third:
            self.assertEqual({}, third.sendmail("s@city.example", ["c@docomo.ne.jp"], message("after@conn")))

    def test_connection_overload_can_reset_instead(self):
        emu = self.start({"carriers": {"docomo": {"max_connections": 1, "overload": "reset"}}})
        first, second = emu.smtp(), emu.smtp()
        first.mail("s@city.example")
        self.assertEqual(250, first.rcpt("a@docomo.ne.jp")[0])
        second.mail("s@city.example")
        with self.assertRaises((smtplib.SMTPServerDisconnected, ConnectionResetError)):
            second.rcpt("b@docomo.ne.jp")
        second.close()
        first.close()

    def test_refuses_non_loopback_hosts_and_bad_config(self):
        for extra, config in ((["--host", "0.0.0.0"], None), ([], {"carriers": {"docomo": {"rate": 5}}})):
            with self.assertRaises(RuntimeError):
                self.start(config, extra)


if __name__ == "__main__":
    unittest.main()
