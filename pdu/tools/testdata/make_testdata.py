#!/usr/bin/env python3
"""Writes the touchstone-pdu test inputs (*.hex, garbage.bin) from first
principles: the BHS layouts of RFC 7143 section 11 and a bitwise CRC32C,
independent of the C++ codec. Run from this directory; commit the output."""
import struct

def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF

def digest(data):
    # RFC 3720 B.4: the CRC register's low byte goes first on the wire.
    return struct.pack('<I', crc32c(data))

assert digest(bytes(32)) == bytes.fromhex('aa36918a')

def bhs(opcode, flags=0, b2=0, b3=0, ahs=b'', dsl=0, b8_15=bytes(8), itt=0xFFFFFFFF,
        w20=0, w24=0, w28=0, tail=bytes(16), immediate=False):
    h = bytes([(0x40 if immediate else 0) | opcode, flags, b2, b3, len(ahs) // 4])
    h += dsl.to_bytes(3, 'big') + b8_15 + struct.pack('>IIII', itt, w20, w24, w28) + tail
    assert len(h) == 48
    return h

def pdu(header, ahs=b'', data=b'', hd=False, dd=False):
    pad = bytes(-len(data) % 4)
    out = header + ahs
    if hd:
        out += digest(header + ahs)
    if data:
        out += data + pad
        if dd:
            out += digest(data + pad)
    return out

def text(*pairs):
    return b''.join(p.encode() + b'\0' for p in pairs)

def write_hex(name, data, per_line=16):
    with open(name, 'w') as f:
        for i in range(0, len(data), per_line):
            f.write(' '.join(f'{b:02x}' for b in data[i:i + per_line]) + '\n')

LUN0 = bytes(8)
LUN1 = bytes([0, 1, 0, 0, 0, 0, 0, 0])

def login_request():
    kv = text('InitiatorName=iqn.2024-01.org.example:host1', 'SessionType=Normal',
              'TargetName=iqn.2024-01.org.example:disk1', 'AuthMethod=None')
    isid_tsih = bytes.fromhex('802345670001') + b'\0\0'
    # T=1 CSG=0 NSG=1; CID 1 in bytes 20-21; CmdSN 1, ExpStatSN 0.
    h = bhs(0x03, 0x81, 0, 0, dsl=len(kv), b8_15=isid_tsih, itt=1, w20=1 << 16, w24=1,
            w28=0, immediate=True)
    return pdu(h, data=kv)

def scsi_command(cdb, flags, edtl, itt, cmdsn, data=b'', **kw):
    tail = cdb.ljust(16, b'\0')
    return pdu(bhs(0x01, flags, dsl=len(data), b8_15=LUN1, itt=itt, w20=edtl, w24=cmdsn,
                   w28=1, tail=tail), data=data, **kw)

def digests_stream(hd=True, dd=True):
    read10 = bytes([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0])
    write10 = bytes([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0])
    out = scsi_command(read10, 0x80 | 0x40 | 0x01, 512, 0x10, 2, hd=hd, dd=dd)
    # WRITE(10) with 8 bytes of immediate data and more to come (F=0).
    out += scsi_command(write10, 0x20 | 0x01, 512, 0x11, 3, data=bytes(range(8)), hd=hd, dd=dd)
    # Data-Out: F=1, TTT 0xffffffff (unsolicited), DataSN 0, offset 8, 5 bytes (3 pad).
    # The LUN is reserved when no TTT is supplied (11.7.4).
    do = bhs(0x05, 0x80, dsl=5, b8_15=LUN0, itt=0x11, w20=0xFFFFFFFF, w24=0, w28=1,
             tail=struct.pack('>IIII', 0, 0, 8, 0))
    out += pdu(do, data=b'hello', hd=hd, dd=dd)
    # NOP-Out ping: I=1, F=1, ITT 0x12, TTT 0xffffffff, 3 bytes of ping data.
    nop = bhs(0x00, 0x80, dsl=3, itt=0x12, w20=0xFFFFFFFF, w24=4, w28=1, immediate=True)
    out += pdu(nop, data=b'abc', hd=hd, dd=dd)
    return out

def every_type():
    sn = lambda a, b, c: struct.pack('>III', a, b, c)
    out = pdu(bhs(0x00, 0x80, itt=1, w20=0xFFFFFFFF, w24=1, w28=1, immediate=True))
    out += scsi_command(bytes([0x00] * 6), 0x81, 0, 2, 1)                 # TEST UNIT READY
    out += pdu(bhs(0x02, 0x82, b8_15=LUN1, itt=3, w20=0xFFFFFFFF, w24=1, w28=1, immediate=True))
    out += login_request()
    kv = text('SendTargets=All')
    out += pdu(bhs(0x04, 0x80, dsl=len(kv), itt=4, w20=0xFFFFFFFF, w24=2, w28=1), data=kv)
    out += pdu(bhs(0x05, 0x80, dsl=4, itt=2, w20=0x100, b8_15=LUN1, w28=1), data=b'abcd')
    out += pdu(bhs(0x06, 0x80, itt=5, w24=3, w28=1, immediate=True))
    out += pdu(bhs(0x10, 0x81, itt=0xFFFFFFFF, w20=0xFFFFFFFF, w28=1))  # Status SNACK
    out += pdu(bhs(0x20, 0x80, itt=1, w20=0xFFFFFFFF, w24=1, w28=2, tail=sn(9, 0, 0) + bytes(4)))
    sense = struct.pack('>H', 18) + bytes([0x70, 0, 5] + [0] * 4 + [10] + [0] * 4 + [0x24] + [0] * 5)
    out += pdu(bhs(0x21, 0x80, 0, 0x02, dsl=len(sense), itt=2, w24=2, w28=2, tail=sn(9, 0, 0) + bytes(4)),
               data=sense)
    out += pdu(bhs(0x22, 0x80, itt=3, w24=3, w28=2, tail=sn(9, 0, 0) + bytes(4)))
    kv = text('TargetPortalGroupTag=1', 'AuthMethod=None')
    out += pdu(bhs(0x23, 0x81, dsl=len(kv), b8_15=bytes.fromhex('802345670001') + b'\0\0', itt=1,
                   w24=0, w28=2, tail=sn(9, 0, 0) + bytes(4)), data=kv)
    kv = text('TargetName=iqn.2024-01.org.example:disk1', 'TargetAddress=192.0.2.1:3260,1')
    out += pdu(bhs(0x24, 0x80, dsl=len(kv), itt=4, w20=0xFFFFFFFF, w24=4, w28=3,
                   tail=sn(9, 0, 0) + bytes(4)), data=kv)
    out += pdu(bhs(0x25, 0x81, 0, 0, dsl=8, b8_15=LUN0, itt=2, w20=0xFFFFFFFF, w24=5, w28=3,
                   tail=sn(9, 0, 0) + bytes(4)), data=bytes(8))
    out += pdu(bhs(0x26, 0x80, itt=5, w24=6, w28=4, tail=sn(9, 0, 2) + bytes(4)))
    out += pdu(bhs(0x31, 0x80, b8_15=LUN1, itt=2, w20=0x100, w24=7, w28=4,
                   tail=struct.pack('>IIII', 9, 0, 0, 512)))
    # Event 1 (logout requested): Parameter3 is the time to wait for the logout.
    out += pdu(bhs(0x32, 0x80, itt=0xFFFFFFFF, w24=7, w28=4,
                   tail=struct.pack('>IBBHHHI', 9, 1, 0, 0, 0, 20, 0)))
    rejected = bhs(0x1c, 0x80, itt=9)
    out += pdu(bhs(0x3f, 0x80, 0x05, dsl=48, itt=0xFFFFFFFF, w24=7, w28=4, tail=sn(9, 0, 0) + bytes(4)),
               data=rejected)
    out += pdu(bhs(0x1d, 0x80, itt=10))                                  # vendor-specific
    return out

def main():
    write_hex('every_type.hex', every_type())
    login = login_request()
    write_hex('login_request.hex', login)

    stream = digests_stream()
    write_hex('digests.hex', stream)

    nop = bhs(0x00, 0x80, itt=0x20, w20=0xFFFFFFFF, w24=5, w28=1, immediate=True)
    write_hex('truncated.hex', login + pdu(nop)[:30])

    bad = bytearray(stream)
    second = 48 + 4  # the READ(10) command: BHS + header digest, no data
    bad[second + 48 + 2] ^= 0xFF  # inside the header digest of the WRITE(10) command
    write_hex('header_digest_error.hex', bytes(bad))

    bad = bytearray(stream)
    data_out_start = 52 + (48 + 4 + 8 + 4)
    digest_at = data_out_start + 48 + 4 + 8
    bad[digest_at] ^= 0x01
    write_hex('data_digest_error.hex', bytes(bad))
    print('data digest of the Data-Out at', digest_at, 'PDU at', data_out_start)

    reserved = bhs(0x00, 0x80, itt=0x21, w20=0xFFFFFFFF, w24=6, w28=1, immediate=True,
                   tail=bytes(15) + b'\x01')
    write_hex('reserved_field.hex', pdu(reserved))

    big = bhs(0x05, 0x80, dsl=9000, b8_15=LUN1, itt=0x30, w20=0xFFFFFFFF, w28=1)
    write_hex('too_long.hex', pdu(big, data=bytes(9000)))

    with open('bad_hex.hex', 'w') as f:
        f.write('03 81 00 00\n00 z0\n')
    with open('odd_hex.hex', 'w') as f:
        f.write('03 81 00 00 0\n')
    with open('garbage.bin', 'wb') as f:
        f.write(bytes((i * 37 + 11) & 0xFF for i in range(200)))

if __name__ == '__main__':
    main()
