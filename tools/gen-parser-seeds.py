#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_parser: corpus/fuzz_parser/<name>.

Each seed is the 8-byte context header that fuzz/fuzz_parser.cpp documents, the command line
as sent (names the command in flight), the data-mode bytes the module may echo, then module
output taken from the application note's chapter 4 examples ("AN 4.x.y") and from the hard
cases of research/parsers.md section 4 ("hNN"). The seeds are committed; rerun this after
changing a case or the header layout:

    tools/gen-parser-seeds.py            # rewrites corpus/fuzz_parser/*.seed
    tools/gen-parser-seeds.py --out DIR
Files in regressions/ are never touched.
"""

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# byte 5, chunking: mode in bits 0-1 (0 byte by byte, 1 fixed, 2-3 random), size in bits 2-7.
BYTEWISE = 0
RANDOM_UP_TO_16 = 2 | (15 << 2)


def fixed(size):
    return 1 | ((size - 1) << 2)


def seed(module, *, push=(), viewmode=0, showlength=False, recv_hex=False, send_hex=False,
         echo=False, command=None, prompt=False, data_echo=b"", max_line=1024,
         max_payload=1500, chunking=RANDOM_UP_TO_16, script=0):
    """The bytes of one seed. `command` is the line the host sent (no CR), or None;
    `script` (0-15) makes the target change the context between events (0: never)."""
    access = 0
    for socket in push:
        access |= 1 << socket
    flags = (viewmode & 1) | (showlength << 1) | (recv_hex << 2) | (send_hex << 3)
    flags |= (echo << 4) | ((command is not None) << 5) | (prompt << 6)
    limits = [1024, 256, 32, 8].index(max_line) | ([1500, 512, 64, 4].index(max_payload) << 2)
    limits |= script << 4
    echo_text = (command or "").encode()
    assert len(echo_text) < 256 and len(data_echo) < 256
    header = bytes([access, flags, 0, 0, limits, chunking, len(echo_text), len(data_echo)])
    return header + echo_text + data_echo + module


QISTATE_0 = b'+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,1,0'
PING_TEST = b'+QPING: (1-3),"<host>",(1-255),(1-10),(32-200)'

CASES = {
    # AN 4.1: TCP client in buffer mode.
    "an4.1.1-cgatt": seed(b"\r\n+CGATT: 1\r\n\r\nOK\r\n", command="AT+CGATT?"),
    "an4.1.1-cgpaddr": seed(b'\r\n+CGPADDR: 1,"100.127.243.105"\r\n\r\nOK\r\n',
                            command="AT+CGPADDR?"),
    "an4.1.1-qiopen": seed(b"\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n",
                           command='AT+QIOPEN=1,0,"TCP","220.18.39.22",8062,0,0'),
    "an4.1.1-qistate": seed(b"\r\n" + QISTATE_0 + b"\r\n\r\nOK\r\n", command="AT+QISTATE=1,0"),
    "an4.1.2-qisend": seed(b"\r\nOK\r\n\r\nSEND OK\r\n", command='AT+QISEND=0,10,"1234567890"'),
    "an4.1.2-qisendex": seed(b"\r\nOK\r\n\r\nSEND OK\r\n", command='AT+QISENDEX=0,5,"3031323334"'),
    "an4.1.2-qisend-busy": seed(b"\r\nERROR\r\n\r\nSEND OK\r\n",
                                command='AT+QISEND=0,10,"1234567890"'),
    "an4.1.3-recv-urc": seed(b'\r\n+QIURC: "recv",0\r\n'),
    "an4.1.3-qird-10": seed(b"\r\n+QIRD: 10\r\n1234567890\r\n\r\nOK\r\n", command="AT+QIRD=0,512"),
    "an4.1.3-qird-0": seed(b"\r\n+QIRD: 0\r\n\r\nOK\r\n", command="AT+QIRD=0,512"),
    "an4.1.3-qicfg-showlength": seed(b'\r\n+QICFG: "showlength",1\r\n\r\nOK\r\n',
                                     command='AT+QICFG="showlength",1'),
    "an4.1.3-recv-urc-length": seed(b'\r\n+QIURC: "recv",0,12\r\n', showlength=True),
    "an4.1.3-qird-remaining": seed(b"\r\n+QIRD: 10,2\r\n1234567890\r\n\r\nOK\r\n",
                                   showlength=True, command="AT+QIRD=0,10"),
    "an4.1.3-buff-full": seed(b'\r\n+QIURC: "recv",0,"buff full"\r\n', showlength=True),
    "an4.1.3-qird-viewmode1": seed(
        b'\r\n+QIRD: 10,2,0123456789\r\n\r\n+QICFG: "viewemode",1\r\n\r\nOK\r\n',
        viewmode=1, showlength=True, command="AT+QIRD=0,10"),
    "an4.1.4-qiclose": seed(b"\r\nOK\r\n\r\nCLOSE OK\r\n", command="AT+QICLOSE=0"),
    # AN 4.2: TCP client in direct-push mode.
    "an4.2.1-qistate-push": seed(
        b'\r\n+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,1,1\r\n\r\nOK\r\n', push=[0],
        command="AT+QISTATE=1,0"),
    "an4.2.3-push": seed(b'\r\n+QIURC: "recv",0,5\r\n12345\r\n', push=[0], showlength=True),
    "an4.2.3-qicfg-viewmode": seed(b'\r\n+QICFG: "viewmode",1\r\n\r\nOK\r\n', push=[0],
                                   command='AT+QICFG="viewmode",1'),
    "an4.2.3-push-viewmode1": seed(
        b'\r\nOK\r\n\r\nSEND OK\r\n\r\n+QIURC: "recv",0,12,012345678901\r\n', push=[0],
        viewmode=1, showlength=True, command='AT+QISEND=0,12,"012345678901"'),
    # AN 4.3: TCP server in buffer mode.
    "an4.3.1-listener": seed(
        b'\r\n+QISTATE: 0,"TCP LISTENER","192.168.2.6",0,2020,2,1,0\r\n\r\nOK\r\n',
        command="AT+QISTATE?"),
    "an4.3.2-incoming": seed(b'\r\n+QIURC: "incoming",2,0,"192.168.2.2",36566\r\n'),
    "an4.3.3-qird-test": seed(b'\r\n+QIURC: "recv",2\r\n\r\n+QIRD: 4\r\ntest\r\n\r\nOK\r\n',
                              command="AT+QIRD=2,512"),
    # AN 4.4: deep sleep; AN 4.5: UDP read of a whole datagram.
    "an4.4-sleep-wakeup": seed(b"\r\nOK\r\n\r\n+QATSLEEP\r\n\r\n+QATWAKEUP\r\n", command="AT+QSCLK=1"),
    "an4.5.2-qird-udp": seed(b"\r\n+QIRD: 4\r\nAAAA\r\n\r\nOK\r\n", command="AT+QIRD=2,4"),
    # AN 4.6-4.8: ping, NTP, last error.
    "an4.6-qping": seed(
        b"\r\nOK\r\n\r\n+QPING: 0,220.18.29.21,32,192,255\r\n\r\n+QPING: 0,220.18.23.21,32,240,255"
        b"\r\n\r\n+QPING: 0,220.18.23.21,32,241,255\r\n\r\n+QPING: 0,220.18.23.21,32,479,255\r\n"
        b"\r\n+QPING: 2,4,4,0,192,479,287\r\n", command='AT+QPING=1,"sh.quectel.com"'),
    "an4.7-qntp": seed(b'\r\nOK\r\n\r\n+QNTP: 0, "18/04/20,11:08:20+32"\r\n',
                       command='AT+QNTP=1,"ntp5.aliyun.com"'),
    "an4.8-error": seed(b"\r\nERROR\r\n", command='AT+QIOPEN=1,"UDP","220.18.39.22",8063,0,1'),
    "an4.8-qigeterror": seed(b"\r\n+QIGETERROR: 552, invalid parameters\r\n\r\nOK\r\n",
                             command="AT+QIGETERROR"),
    # parsers.md section 4, hard cases.
    "h01-echo-cr-cr-lf": seed(b"AT\r\r\nOK\r\n", echo=True, command="AT"),
    "h02-bytewise": seed(b'\r\nOK\r\n\r\n+QIURC: "closed",0\r\n', chunking=BYTEWISE),
    "h03-echo-glued": seed(b"\r\nSEND OK\r\nAT+QIRD=0,512\r\r\n+QIRD: 0\r\n\r\nOK\r\n", echo=True,
                           command="AT+QIRD=0,512"),
    "h04-echo-off": seed(b"\r\n+CSQ: 20,0\r\n\r\nOK\r\n", command="AT+CSQ"),
    "h05-garbage-then-rdy": seed(b"\x00\xff\r\nF1: 0000 0000\r\naa\r\n\r\nRDY\r\n"),
    "h06-split-urc": seed(b'\r\n+QIURC: "closed",0\r\n', chunking=fixed(11)),
    "h07-overlong-small-limit": seed(b"\r\n" + b"A" * 100 + b"\r\n\r\nOK\r\n", max_line=32),
    "h07-overlong": seed(b"\r\n" + b"A" * 1100 + b"\r\n\r\nOK\r\n", chunking=fixed(64)),
    "h08-urc-burst": seed(b'\r\n+QIURC: "closed",0\r\n\r\n+QIURC: "closed",1\r\n\r\n'
                          b'+QIURC: "incoming full"\r\n\r\n+QIURC: "recv",2\r\n'),
    "h09-close-ok-not-ok": seed(b"\r\nOK\r\n\r\nCLOSE OK\r\n\r\n" + QISTATE_0 + b"\r\n\r\nOK\r\n",
                                command="AT+QISTATE=1,0"),
    "h10-qisend-urc-between": seed(b'\r\nOK\r\n\r\n+QIURC: "recv",0\r\n\r\nSEND OK\r\n',
                                   command='AT+QISEND=0,10,"1234567890"'),
    "h12-send-fail": seed(b"\r\n> \r\nSEND FAIL\r\n", prompt=True, command="AT+QISEND=0"),
    "h13-okay-not-ok": seed(b"\r\nOKAY\r\n\r\nOK\r\n", command="AT+QIGETERROR"),
    "h14-error-forms": seed(b"\r\nERROR\r\n\r\n+CME ERROR: 50\r\n\r\n"
                            b"+CME ERROR: Incorrect parameters\r\n"),
    "h15-qping-test": seed(b"\r\n" + PING_TEST + b"\r\n\r\nOK\r\n", command="AT+QPING=?"),
    "h15-qntp-test": seed(b'\r\n+QNTP: (1-3),"<server>",(1-65535),(0,1)\r\n\r\nOK\r\n',
                          command="AT+QNTP=?"),
    "h15-qidnsgip-test": seed(b'\r\n+QIDNSGIP: (1-3),"<hostname>"\r\n\r\nOK\r\n',
                              command="AT+QIDNSGIP=?"),
    "h16-late-qping": seed(b"\r\n+QPING: 0,220.18.29.21,32,192,255\r\n\r\n" + PING_TEST +
                           b"\r\n\r\nOK\r\n", command="AT+QPING=?"),
    "h17-urc-after-echo": seed(b"AT+QISTATE=1,0\r\r\n\r\n+QIOPEN: 0,0\r\n\r\n" + QISTATE_0 +
                               b"\r\n\r\nOK\r\n", echo=True, command="AT+QISTATE=1,0"),
    "h18-urc-before-ok": seed(b"\r\n" + QISTATE_0 + b'\r\n\r\n+QIURC: "closed",0\r\n\r\nOK\r\n',
                              command="AT+QISTATE=1,0"),
    "h19-urc-after-ok": seed(b"\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n",
                             command='AT+QIOPEN=1,0,"TCP","220.18.39.22",8062,0,0'),
    "h20-payload-has-ok": seed(b"\r\n+QIRD: 6\r\n\r\nOK\r\n\r\nOK\r\n", command="AT+QIRD=0,512"),
    "h21-payload-has-urc": seed(b'\r\n+QIRD: 20\r\n+QIURC: "closed",0\r\n\r\nOK\r\n',
                                command="AT+QIRD=0,512"),
    "h22-payload-has-prompt": seed(b"\r\n+QIRD: 4\r\n\r\n> \r\n\r\nOK\r\n", chunking=BYTEWISE,
                                   command="AT+QIRD=0,512"),
    "h23-binary-payload": seed(b"\r\n+QIRD: 5\r\n\x00\x1a\x1b\xff\n\r\n\r\nOK\r\n",
                               command="AT+QIRD=0,512"),
    "h24-length-split": seed(b"\r\n+QIRD: 12\r\nhello world!\r\n\r\nOK\r\n", chunking=BYTEWISE,
                             command="AT+QIRD=0,512"),
    "h26-viewmode1-no-showlength": seed(b"\r\n+QIRD: 5,2,abc\r\n\r\nOK\r\n", viewmode=1,
                                        command="AT+QIRD=0,512"),
    "h27-length-longer-than-data": seed(b"\r\n+QIRD: 12\r\nabcd\r\n\r\nOK\r\n",
                                        command="AT+QIRD=0,512"),
    "h28-recv-buffer-mode": seed(b'\r\n+QIURC: "recv",0,5\r\n12345\r\n', showlength=True),
    "h29-push-inside-response": seed(
        b'AT+CSQ\r\r\n\r\n+QIURC: "recv",0,4\r\nOK\r\n\r\n\r\n+CSQ: 20,0\r\n\r\nOK\r\n', push=[0],
        showlength=True, echo=True, command="AT+CSQ"),
    "h30-push-viewmode1-commas": seed(b'\r\n+QIURC: "recv",0,12,a,"b"\r\n12345\r\n', push=[0],
                                      viewmode=1, showlength=True),
    "h31-push-no-length": seed(b'\r\n+QIURC: "recv",0\r\nhello\r\n', push=[0]),
    "h32-push-hex": seed(b'\r\n+QIURC: "recv",0,5\r\n3031323334\r\n', push=[0], showlength=True,
                         recv_hex=True),
    "h32-qird-hex": seed(b"\r\n+QIRD: 5\r\n3031323334\r\n\r\nOK\r\n", recv_hex=True,
                         command="AT+QIRD=0,512"),
    "h32-qird-bad-hex": seed(b"\r\n+QIRD: 2\r\n3x3y\r\n\r\nOK\r\n", recv_hex=True,
                             command="AT+QIRD=0,512"),
    "h33-push-buff-full": seed(b'\r\n+QIURC: "recv",0,"buff full"\r\n', push=[0], showlength=True),
    "h34-prompt-no-crlf": seed(b"\r\n> ", prompt=True, command="AT+QISEND=0,5"),
    "h35-prompt-then-urc": seed(b'\r\n> \r\n+QIURC: "closed",0\r\n', prompt=True,
                                command="AT+QISEND=0,5"),
    "h35-prompt-split": seed(b"\r\n> ", chunking=BYTEWISE, command="AT+QISEND=0,5"),
    "h36-data-echo": seed(b"AT+QISEND=0,5\r\r\n> hello\r\nOK\r\n\r\nSEND OK\r\n", echo=True,
                          prompt=True, data_echo=b"hello", command="AT+QISEND=0,5"),
    "h37-dnsgip-group": seed(b'\r\nOK\r\n\r\n+QIURC: "dnsgip",0,2,399\r\n\r\n'
                             b'+QIURC: "dnsgip","220.181.57.216"\r\n\r\n'
                             b'+QIURC: "dnsgip","123.125.115.110"\r\n',
                             command='AT+QIDNSGIP=1,"baidu.com"'),
    "h39-incoming-full": seed(b'\r\n+QIURC: "incoming full"\r\n\r\n'
                              b'+QIURC: "incoming",2,0,"192.168.2.2",36566\r\n'),
    "h40-malformed-fields": seed(b'\r\n+QIOPEN: 0\r\n\r\n+QIURC: "recv",99999999999,5\r\n\r\n'
                                 b"+QIRD: -1\r\n\r\n+QIRD: 4294967301\r\n\r\nOK\r\n", push=[0],
                                 showlength=True, command="AT+QIRD=0,512"),
    "h40-payload-over-limit": seed(b"\r\n+QIRD: 1600\r\n" + b"x" * 20 + b"\r\n\r\nOK\r\n",
                                   command="AT+QIRD=0,512"),
    "limits-small-payload": seed(b'\r\n+QIURC: "recv",1,6\r\nabcdef\r\n\r\n+QIRD: 3\r\nxyz\r\n'
                                 b"\r\nOK\r\n", push=[1], showlength=True, max_payload=4,
                                 max_line=32, command="AT+QIRD=0,512"),
    # The context changing between events, as session_tracker changes it.
    "context-changes-push": seed(b'\r\n+QIURC: "recv",2,3\r\nabc\r\n\r\n+QIURC: "closed",1\r\n'
                                 b'\r\n+QIURC: "recv",2,3\r\nabc\r\n\r\nOK\r\n\r\n'
                                 b'+QIURC: "recv",2,3,xyz\r\n', push=[2], showlength=True,
                                 script=3),
    "context-changes-qird": seed(b"\r\n+QIRD: 4,0\r\nabcd\r\n\r\nOK\r\n\r\n+QIRD: 2\r\n3132\r\n"
                                 b"\r\nOK\r\n\r\n> \r\n+QIRD: 3,1,abc\r\n", showlength=True,
                                 command="AT+QIRD=0,4", script=9),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "corpus" / "fuzz_parser")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.seed"):
        old.unlink()
    for name, data in CASES.items():
        (args.out / f"{name}.seed").write_bytes(data)
    print(f"wrote {len(CASES)} seeds to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
