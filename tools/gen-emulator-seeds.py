#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_emulator: corpus/fuzz_emulator/<name>.seed.

Each seed is a sequence of the operations that fuzz/fuzz_emulator.cpp documents: host command
lines taken from the application note's chapter 4 examples ("AN 4.x.y"), the network's
answers to the requests they make, received data, and clock steps. The seeds are committed;
rerun this after changing a case or the operation layout:

    tools/gen-emulator-seeds.py            # rewrites corpus/fuzz_emulator/*.seed
    tools/gen-emulator-seeds.py --out DIR
Files in regressions/ are never touched.
"""

import argparse
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def host(text):
    """Host bytes; a str is a command line: it gets its CR, and the clock then moves 100 ms
    so that its answer (and a URC after it, profile urc_delay) comes before the next line."""
    data = text if isinstance(text, bytes) else (text + "\r").encode()
    out = b""
    for i in range(0, len(data), 255):
        chunk = data[i:i + 255]
        out += bytes([0, len(chunk)]) + chunk
    return out if isinstance(text, bytes) else out + bytes([1, 10])


def wait(ms=0):
    """Clock: 0 = to the next deadline, else ms (multiple of 10, at most 2550)."""
    return bytes([1, min(ms // 10, 255)])


def answer(ok=True, which=0, error=1):
    """Answers the pending request `which`: success, or failure with error code index."""
    return bytes([2, which, 0 if ok else 1 | (error << 1)])


def received(socket, data):
    return bytes([3, socket, len(data)]) + data


def peer_closed(socket, reset=False):
    return bytes([4, socket * 2 + (1 if reset else 0)])


def accepted(listener):
    return bytes([5, listener])


def control(which):
    return bytes([6, {"wake": 0, "reset": 1, "drop_link": 2}[which]])


def flood(byte, count):
    return bytes([7, count - 1, byte])


BOOT = wait(600)
OPEN0 = host('AT+QIOPEN=1,0,"TCP","220.180.239.212",8062,0,1') + answer()
OPEN0_PUSH = host('AT+QIOPEN=1,0,"TCP","220.180.239.212",8062,0,1') + answer()
OPEN0_BUF = host('AT+QIOPEN=1,0,"TCP","220.180.239.212",8062,0,0') + answer()

SEEDS = {
    "an4.1.1-cgatt": BOOT + host("AT+CGATT?") + host("AT+CGPADDR?"),
    "an4.1.1-qiopen": BOOT + OPEN0 + wait(100) + host("AT+QISTATE=1,0"),
    "an4.1.1-qiopen-fail": BOOT + host('AT+QIOPEN=1,0,"TCP","220.180.239.212",8062,0,1')
    + answer(False, error=1) + wait(100) + host("AT+QIGETERROR"),
    "an4.1.1-qiopen-timeout": BOOT + host('AT+QIOPEN=1,0,"TCP","220.180.239.212",8062')
    + wait(0) + wait(0),
    "an4.1.1-qistate": BOOT + OPEN0 + host("AT+QISTATE?") + host("AT+QISTATE=0,1"),
    "an4.1.2-qisend": BOOT + OPEN0 + host("AT+QISEND=0") + host(b"test\x1a") + answer()
    + host("AT+QISEND=0,0"),
    "an4.1.2-qisend-fixed": BOOT + OPEN0 + host("AT+QISEND=0,4") + host(b"test") + answer(),
    "an4.1.2-qisend-esc": BOOT + OPEN0 + host("AT+QISEND=0") + host(b"abc\x1b")
    + host("AT+QIGETERROR"),
    "an4.1.2-qisend-fail": BOOT + OPEN0 + host("AT+QISEND=0,4") + host(b"test")
    + answer(False),
    "an4.1.2-qisendex": BOOT + OPEN0 + host('AT+QISENDEX=0,4,"31323334"') + answer(),
    "an4.1.2-qisend-hex": BOOT + host('AT+QICFG="dataformat",1,1') + OPEN0
    + host("AT+QISEND=0,2") + host(b"3132") + answer(),
    "an4.1.3-recv-push": BOOT + OPEN0_PUSH + received(0, b"test") + wait(100),
    "an4.1.3-recv-buffer": BOOT + OPEN0_BUF + received(0, b"1234567890") + wait(100)
    + host("AT+QIRD=0,4") + host("AT+QIRD=0,512") + host("AT+QIRD=0,0"),
    "an4.1.3-showlength": BOOT + host('AT+QICFG="showlength",1') + OPEN0_PUSH
    + received(0, b"hello") + wait(100),
    "an4.1.3-viewmode": BOOT + host('AT+QICFG="viewmode",1') + OPEN0_PUSH
    + received(0, b"a\r\nOK\r\n") + wait(100),
    "an4.1.3-recv-hex": BOOT + host('AT+QICFG="dataformat",0,1') + OPEN0_BUF
    + received(0, b"\x00\x01\xff") + wait(100) + host("AT+QIRD=0,10"),
    "an4.1.3-buff-full": BOOT + OPEN0_BUF + b"".join(received(0, bytes(255)) for _ in range(17))
    + wait(100) + host("AT+QIRD=0,512"),
    "an4.1.4-qiclose": BOOT + OPEN0 + host("AT+QICLOSE=0") + wait(100),
    "an4.1.4-peer-close": BOOT + OPEN0_BUF + received(0, b"bye") + peer_closed(0) + wait(100)
    + host("AT+QIRD=0,10") + host("AT+QICLOSE=0"),
    "an4.1.4-peer-reset": BOOT + OPEN0 + peer_closed(0, reset=True) + wait(100)
    + host("AT+QISTATE?"),
    "an4.2-udp": BOOT + host('AT+QIOPEN=1,1,"UDP","220.180.239.212",8063,0,1') + answer()
    + host('AT+QISEND=1,5') + host(b"hello") + answer() + received(1, b"world") + wait(100),
    "an4.3-listener": BOOT + host('AT+QIOPEN=1,2,"TCP LISTENER","127.0.0.1",0,2020,0')
    + answer() + accepted(2) + wait(100) + host("AT+QISTATE?") + received(5, b"hi")
    + wait(100),
    "an4.4-sleep": BOOT + host("AT+QSCLK=1") + wait(2550) + wait(2550) + control("wake")
    + host("AT"),
    "an4.5-dns": BOOT + host('AT+QIDNSCFG=1,"8.8.8.8","114.114.114.114"')
    + host('AT+QIDNSGIP=1,"www.baidu.com"') + answer() + wait(100),
    "an4.5-dns-fail": BOOT + host('AT+QIDNSGIP=1,"nosuch.example"') + answer(False, error=0)
    + wait(100),
    "an4.6-ping": BOOT + host('AT+QPING=1,"220.180.239.212",4,2') + answer() + answer()
    + wait(0) + wait(0),
    "an4.7-ntp": BOOT + host('AT+QNTP=1,"202.120.2.101",123') + answer() + wait(100)
    + host("AT+CCLK?"),
    "an4.8-qigeterror": BOOT + host("AT+QIRD=9,10") + host("AT+QIGETERROR"),
    "an4.9-qicfg": BOOT + host('AT+QICFG="dataformat"') + host('AT+QICFG="viewmode"')
    + host('AT+QICFG="showlength"') + host("AT+QICFG=?"),
    "an4.10-keepalive": BOOT + host('AT+QICFG="tcp/keepalive",1,30,10,5') + OPEN0,
    "general-echo": BOOT + host("ATE0") + host("AT") + host("ATE1") + host("ATI")
    + host("AT+CGMR") + host("AT&W"),
    "general-cmee": BOOT + host("AT+CMEE=1") + host("AT+QIRD=6,1") + host("AT+CMEE=2")
    + host("AT+QIRD=6,1"),
    "general-reset": BOOT + OPEN0 + host("AT+QRST=1") + wait(0) + wait(600) + host("AT"),
    "general-drop-link": BOOT + OPEN0 + control("drop_link") + wait(100) + host("AT+QISTATE?"),
    "general-test-forms": BOOT + host("AT+QIOPEN=?") + host("AT+QISEND=?") + host("AT+QIRD=?")
    + host("AT+QPING=?") + host("AT+QNTP=?"),
    "hostile-garbage": BOOT + host(b"\x01\x02\x03\rAT\r+++\rAT+CGATT?\r"),
    "hostile-long-line": BOOT + flood(ord("A"), 256) + host(b"\r") + host("AT"),
    "hostile-ctrl": BOOT + host(b"\x1a\x1bA\x1aT\x1b\r") + host(b"AT\x08\x08AT\r"),
    "hostile-nul": BOOT + host(b"AT\x00\r\x00\rAT\r"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "corpus" / "fuzz_emulator")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        (args.out / f"{name}.seed").write_bytes(data)
    print(f"wrote {len(SEEDS)} seeds to {args.out}")


if __name__ == "__main__":
    main()
