# The large byte arrays of a heap dump (HPROF, 8-byte ids) and the objects that point at them: what holds the heap.
# Usage: python3 bench/hprof_big_arrays.py <dump.hprof> [min bytes, default 1000000] [hex id: print its referrers]
# (Used with `java ... -Dbench.heapDump=/tmp/peak.hprof dev.emailchannel.bench.MemoryBenchmark one`, see bench/README.md.)
import struct, sys, collections
f = open(sys.argv[1], 'rb'); data = f.read()
nul = data.index(b'\0'); idsize = struct.unpack('>I', data[nul+1:nul+5])[0]; pos = nul + 13
assert idsize == 8
def rid(b, p): return struct.unpack('>Q', b[p:p+8])[0]
strings = {}; classnames = {}
big = {}  # id -> size
instances = []  # (start, end, classid) spans in data
objarrays = []
classfields = {}
tsize = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
segs = []
while pos < len(data):
    tag = data[pos]; length = struct.unpack('>I', data[pos+5:pos+9])[0]; body = pos + 9
    if tag == 0x01: strings[rid(data, body)] = data[body+8:body+length].decode('utf-8', 'replace')
    elif tag == 0x02: classnames[rid(data, body+4)] = rid(data, body+16)
    elif tag in (0x0C, 0x1C): segs.append((body, body + length))
    pos = body + length
MIN = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
for (p, end) in segs:
    while p < end:
        t = data[p]; p += 1
        if t == 0xFF: p += 8
        elif t == 0x01: p += 16
        elif t == 0x02: p += 16
        elif t == 0x03: p += 16
        elif t == 0x04: p += 12
        elif t == 0x05: p += 8
        elif t == 0x06: p += 12
        elif t == 0x07: p += 8
        elif t == 0x08: p += 16
        elif t == 0x20:
            cid = rid(data, p); p += 8 + 4 + 8*6 + 4
            n = struct.unpack('>H', data[p:p+2])[0]; p += 2
            for _ in range(n):
                ty = data[p+2]; p += 3 + tsize[ty]
            n = struct.unpack('>H', data[p:p+2])[0]; p += 2
            for _ in range(n):
                ty = data[p+8]; p += 9 + tsize[ty]
            n = struct.unpack('>H', data[p:p+2])[0]; p += 2 + 9*n
        elif t == 0x21:
            oid = rid(data, p); cid = rid(data, p+12); n = struct.unpack('>I', data[p+20:p+24])[0]
            instances.append((p+24, p+24+n, cid, oid)); p += 24 + n
        elif t == 0x22:
            n = struct.unpack('>I', data[p+12:p+16])[0]; cid = rid(data, p+16)
            objarrays.append((p+24, p+24+8*n, cid, rid(data, p))); p += 24 + 8*n
        elif t == 0x23:
            oid = rid(data, p); n = struct.unpack('>I', data[p+12:p+16])[0]; ty = data[p+16]
            if ty == 8 and n >= MIN: big[oid] = n
            p += 17 + n*tsize[ty]
        else: raise Exception('tag %x at %d' % (t, p))
ids = {struct.pack('>Q', k): k for k in big}
refs = collections.defaultdict(list)
for (s, e, cid, oid) in instances + objarrays:
    chunk = data[s:e]
    for k, v in ids.items():
        if k in chunk: refs[v].append(strings.get(classnames.get(cid), hex(cid)) + '@' + hex(oid))
tot = 0
for oid, n in sorted(big.items(), key=lambda x: -x[1]):
    tot += n
    print('byte[%d] %s <- %s' % (n, hex(oid), ', '.join(refs[oid][:3]) or '(no instance field: a local or root)'))
print('total %.1f MB in %d arrays >= %d bytes' % (tot/1e6, len(big), MIN))
if len(sys.argv) > 3:
    target = struct.pack('>Q', int(sys.argv[3], 16))
    for (s, e, cid, oid) in instances + objarrays:
        if target in data[s:e]:
            print('referrer of', sys.argv[3], ':', strings.get(classnames.get(cid), hex(cid)), hex(oid))
