#!/usr/bin/env python3
"""Writes the malformed-file corpus of tests/reliability/CorpusTest (run once; the files are committed).

    tests/corpus/generate.py [--seeds tests/corpus/seeds]

Every file written here must be refused with an error that names it; seeds/ holds the valid files
the mutations start from (written by `netdraft_save_loop seeds <folder>`: a small project, a state
dict, a checkpoint and a TorchScript export of Input(8) -> Linear(4) -> ReLU -> Linear(3)).
File names say what is wrong. Folders: project/ (loaded with `netdraft-cli validate`), idx/
(images-* read as IDX images, labels-* as IDX labels), cifar/ (c10-* as CIFAR-10, c100-* as
CIFAR-100), csv/ (a regression dataset, target = last column), image/ (the image decoder), pt/
(weights import and TorchScript load). Regression files found by fuzzing live beside them as
crash-* and are not written here.
"""

import argparse
import gzip
import json
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(folder, name, data):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- projects
def projects(seeds):
    base_text = open(os.path.join(seeds, "tiny.netdraft"), "rb").read()
    base = json.loads(base_text)
    n = len(base_text)
    for i, cut in enumerate([1, 2, 10, 40, n // 4, n // 3, n // 2, 2 * n // 3, 3 * n // 4, n - 40, n - 3, n - 2]):
        write("project", "truncated-%02d-at-%d.netdraft" % (i, cut), base_text[:cut])

    def variant(name, change):
        doc = json.loads(base_text)
        change(doc)
        write("project", name + ".netdraft", json.dumps(doc, indent=1))

    def setp(path, value):
        def change(doc):
            node = doc
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        return change

    blocks = ["graph", "blocks"]
    wrong_types = {
        "version-string": (["version"], "2"),
        "version-float": (["version"], 1.5),
        "version-negative": (["version"], -1),
        "version-future": (["version"], 999),
        "format-other": (["format"], "keras"),
        "name-number": (["name"], 12),
        "graph-array": (["graph"], []),
        "blocks-object": (blocks, {}),
        "blocks-null": (blocks, None),
        "connections-string": (["graph", "connections"], "all"),
        "block-id-number": (blocks + [1, "id"], 5),
        "block-id-empty": (blocks + [1, "id"], ""),
        "block-type-unknown": (blocks + [1, "type"], "Linearr"),
        "block-type-array": (blocks + [1, "type"], ["Linear"]),
        "params-array": (blocks + [1, "params"], [1, 2]),
        "param-out-features-string": (blocks + [1, "params", "out_features"], "four"),
        "param-out-features-float": (blocks + [1, "params", "out_features"], 4.5),
        "param-out-features-negative": (blocks + [1, "params", "out_features"], -4),
        "param-out-features-2pow63": (blocks + [1, "params", "out_features"], 2 ** 63),
        "param-bias-string": (blocks + [1, "params", "bias"], "yes"),
        "param-unknown": (blocks + [1, "params", "colour"], "red"),
        "input-shape-negative": (blocks + [0, "params", "shape"], [-8]),
        "input-shape-huge": (blocks + [0, "params", "shape"], [2 ** 62, 2 ** 62]),
        "input-shape-nested": (blocks + [0, "params", "shape"], [[8]]),
        "block-learning-rate-scale-zero": (blocks + [1, "learning_rate_scale"], 0),
        "block-learning-rate-scale-negative": (blocks + [1, "learning_rate_scale"], -0.1),
        "block-learning-rate-scale-string": (blocks + [1, "learning_rate_scale"], "slow"),
        "position-string": (blocks + [1, "position"], "0,0"),
        "position-one-number": (blocks + [1, "position"], [1]),
        "connection-from-missing-block": (["graph", "connections", 0, "from"], "nowhere.out"),
        "connection-to-missing-port": (["graph", "connections", 0, "to"], "fc1.sideways"),
        "connection-no-port": (["graph", "connections", 0, "to"], "fc1"),
        "connection-number": (["graph", "connections", 0], 7),
        "training-epochs-negative": (["training", "epochs"], -1),
        "training-batch-zero": (["training", "batch_size"], 0),
        "training-optimizer-unknown": (["training", "optimizer"], "sgdd"),
        "training-lr-string": (["training", "learning_rate"], "fast"),
        "dataset-kind-unknown": (["dataset", "kind"], "imagenet"),
        "dataset-fraction-above-one": (["dataset", "validation_fraction"], 1.5),
        "view-zoom-string": (["view", "zoom"], "100%"),
        "root-extra-key": (["unexpected_key"], 1),
        "experiment-array": (["experiment"], ["training.epochs=1,2"]),
        "experiment-grid-number": (["experiment"], {"grid": [5]}),
        "experiment-parallel-zero": (["experiment"], {"grid": ["training.epochs=1,2"], "parallel": 0}),
        "experiment-grid-and-trials": (["experiment"], {"grid": ["training.epochs=1,2"], "trials": ["training.epochs=3"]}),
        "experiment-unknown-key": (["experiment"], {"grid": ["training.epochs=1,2"], "method": "bayes"}),
    }
    for name, (path, value) in wrong_types.items():
        variant("type-" + name, setp(path, value))

    def duplicate_block(doc):
        doc["graph"]["blocks"].append(dict(doc["graph"]["blocks"][1]))
    variant("duplicate-block-id", duplicate_block)

    def duplicate_connection(doc):
        doc["graph"]["connections"].append(dict(doc["graph"]["connections"][0]))
    variant("duplicate-connection", duplicate_connection)

    def two_into_one(doc):
        doc["graph"]["connections"].append({"from": "input.out", "to": "relu.in"})
    variant("two-connections-into-one-port", two_into_one)

    def no_blocks_key(doc):
        del doc["graph"]["blocks"]
    variant("missing-blocks", no_blocks_key)

    def no_version(doc):
        del doc["version"]
    variant("missing-version", no_version)

    text = base_text.decode()
    numbers = {
        "1e500-version": ('"version": 2', '"version": 1e500'),
        "1e500-out-features": ('"out_features": 4', '"out_features": 1e500'),
        "minus-1e500-position": ('"position": [200, 0]', '"position": [-1e500, 0]'),
        "1e500-learning-rate": ('"learning_rate": 0.001', '"learning_rate": 1e500'),
        "nan-learning-rate": ('"learning_rate": 0.001', '"learning_rate": NaN'),
        "infinity-zoom": ('"zoom": 1', '"zoom": Infinity'),
        "nan-position": ('"position": [200, 0]', '"position": [NaN, 0]'),
        "hex-number": ('"epochs": 10', '"epochs": 0x10'),
        "leading-zero-number": ('"epochs": 10', '"epochs": 010'),
        "plus-number": ('"epochs": 10', '"epochs": +10'),
        "2pow64-epochs": ('"epochs": 10', '"epochs": 18446744073709551616'),
        "minus-2pow63-minus-1-seed": ('"seed": 42', '"seed": -9223372036854775809'),
        "long-digits-seed": ('"seed": 42', '"seed": ' + "9" * 5000),
    }
    for name, (old, new) in numbers.items():
        assert old in text, old
        write("project", "number-%s.netdraft" % name, text.replace(old, new, 1))

    raw = base_text
    utf8 = {
        "ff-byte-in-name": b'"name": "ti\xffny"',
        "overlong-slash": b'"name": "ti\xc0\xafny"',
        "surrogate": b'"name": "ti\xed\xa0\x80ny"',
        "truncated-sequence": b'"name": "ti\xe2\x82"',
        "continuation-only": b'"name": "\x80\x80"',
        "five-byte-sequence": b'"name": "\xf8\x88\x80\x80\x80"',
        "above-u10ffff": b'"name": "\xf4\x90\x80\x80"',
        "nul-in-string": b'"name": "ti\x00ny"',
        "control-char-in-string": b'"name": "ti\x01ny"',
        "lone-surrogate-escape": b'"name": "\\ud800"',
        "bad-escape": b'"name": "\\q"',
    }
    for name, new in utf8.items():
        write("project", "utf8-%s.netdraft" % name, raw.replace(b'"name": "tiny"', new, 1))
    write("project", "utf16-le-bom.netdraft", b"\xff\xfe" + text.encode("utf-16-le"))
    write("project", "utf8-bom-twice.netdraft", b"\xef\xbb\xbf\xef\xbb\xbf" + raw)

    write("project", "nesting-100000-arrays.netdraft", "[" * 100000 + "]" * 100000)
    write("project", "nesting-100000-objects.netdraft", '{"a":' * 100000 + "1" + "}" * 100000)
    write("project", "nesting-100000-unclosed.netdraft", "[" * 100000)
    write("project", "nesting-100000-in-description.netdraft",
          text.replace('"description": ""', '"description": ' + "[" * 100000 + "]" * 100000, 1))
    write("project", "nesting-65-in-params.netdraft",
          text.replace('"params": {}', '"params": {"x": ' + "[" * 65 + "]" * 65 + "}", 1))

    misc = {
        "empty": b"",
        "whitespace-only": b"  \n\t\n",
        "null": b"null",
        "array": b"[]",
        "empty-object": b"{}",
        "string": b'"netdraft"',
        "number": b"2",
        "trailing-garbage": raw + b"xyz",
        "two-documents": raw + raw,
        "comment": b"// project\n" + raw,
        "single-quotes": raw.replace(b'"', b"'"),
        "trailing-comma": raw.replace(b'"center": [0, 0]', b'"center": [0, 0],', 1),
        "unquoted-key": raw.replace(b'"zoom"', b"zoom", 1),
        "binary-garbage": bytes((i * 37 + 11) % 256 for i in range(4096)),
        "gzip-of-project": gzip.compress(raw, mtime=0),
        "zip-not-json": open(os.path.join(seeds, "weights.pt"), "rb").read(),
        "duplicate-key-name": raw.replace(b'"name": "tiny",', b'"name": "tiny",\n  "name": "other",', 1),
        "duplicate-key-graph": raw.replace(b'"graph": {', b'"graph": {"blocks": [], "connections": []},\n  "graph": {', 1),
        "nul-bytes": b"\x00" * 1024,
        "long-string-unterminated": b'{"format": "netdraft", "version": 2, "name": "' + b"x" * 100000,
    }
    for name, data in misc.items():
        write("project", "misc-%s.netdraft" % name, data)


# ---------------------------------------------------------------- IDX
def idx():
    def header(magic, dims):
        return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims)

    good_images = header(0x803, [2, 4, 4]) + bytes(range(32))
    good_labels = header(0x801, [4]) + bytes([0, 1, 2, 3])
    cases = {
        "images-wrong-magic-801.idx": header(0x801, [2, 4, 4]) + bytes(32),
        "images-wrong-magic-zero.idx": header(0, [2, 4, 4]) + bytes(32),
        "images-wrong-magic-little-endian.idx": struct.pack("<I", 0x803) + struct.pack("<III", 2, 4, 4) + bytes(32),
        "images-float-type.idx": header(0x0D03, [2, 4, 4]) + bytes(128),
        "images-two-dimensions.idx": header(0x802, [2, 16]) + bytes(32),
        "images-four-dimensions.idx": header(0x804, [2, 1, 4, 4]) + bytes(32),
        "images-count-2pow32-1.idx": header(0x803, [0xFFFFFFFF, 4, 4]) + bytes(32),
        "images-rows-2pow32-1.idx": header(0x803, [2, 0xFFFFFFFF, 4]) + bytes(32),
        "images-all-2pow32-1.idx": header(0x803, [0xFFFFFFFF] * 3) + bytes(32),
        "images-65536-squared.idx": header(0x803, [1, 65536, 65536]) + bytes(32),
        "images-zero-rows.idx": header(0x803, [2, 0, 4]),
        "images-data-truncated.idx": good_images[:-1],
        "images-data-extra.idx": good_images + b"\x00",
        "images-empty.idx": b"",
        "labels-wrong-magic.idx": header(0x803, [4]) + bytes(4),
        "labels-count-2pow32-1.idx": header(0x801, [0xFFFFFFFF]) + bytes(4),
        "labels-value-200.idx": header(0x801, [4]) + bytes([0, 1, 200, 3]),
        "labels-value-10.idx": header(0x801, [4]) + bytes([0, 1, 10, 3]),
        "labels-truncated.idx": good_labels[:-2],
        "labels-two-dimensions.idx": header(0x802, [2, 2]) + bytes(4),
        "images-gzip-garbage.idx.gz": b"\x1f\x8b\x08\x00" + bytes((i * 13) % 256 for i in range(200)),
        "images-gzip-truncated.idx.gz": gzip.compress(good_images, mtime=0)[:-10],
        "images-gzip-bad-crc.idx.gz": gzip.compress(good_images, mtime=0)[:-8] + b"\x00\x00\x00\x00" + gzip.compress(good_images, mtime=0)[-4:],
        "images-gzip-count-2pow32-1.idx.gz": gzip.compress(header(0x803, [0xFFFFFFFF, 28, 28]) + bytes(784), mtime=0),
        "labels-gzip-empty-member.idx.gz": gzip.compress(b"", mtime=0),
        "labels-gzip-magic-only.idx.gz": b"\x1f\x8b",
    }
    for cut in range(1, 16, 3):
        cases["images-header-truncated-%02d.idx" % cut] = good_images[:cut]
    for cut in (1, 3, 5, 7):
        cases["labels-header-truncated-%02d.idx" % cut] = good_labels[:cut]
    for name, data in cases.items():
        write("idx", name, data)


# ---------------------------------------------------------------- CIFAR
def cifar():
    def record10(label):
        return bytes([label]) + bytes(3072)

    def record100(coarse, fine):
        return bytes([coarse, fine]) + bytes(3072)

    cases = {
        "c10-empty.bin": b"",
        "c10-one-byte.bin": b"\x01",
        "c10-truncated-record.bin": record10(1) + record10(2)[:-1],
        "c10-extra-byte.bin": record10(1) + b"\x00",
        "c10-label-10.bin": record10(1) + record10(10),
        "c10-label-255.bin": record10(255),
        "c10-cifar100-record-size.bin": record100(1, 1) * 2,
        "c10-header-only.bin": record10(3)[:1],
        "c100-empty.bin": b"",
        "c100-truncated-record.bin": record100(1, 1) + record100(1, 1)[:-100],
        "c100-fine-label-100.bin": record100(1, 100),
        "c100-coarse-label-20.bin": record100(20, 1),
        "c100-labels-255.bin": record100(255, 255),
        "c100-cifar10-record-size.bin": record10(1) * 2,
        "c100-gzip-truncated.bin": gzip.compress(record100(1, 1) * 3, mtime=0)[:-6],
        "c10-gzip-garbage.bin": b"\x1f\x8b\x08\x00garbage-garbage-garbage",
    }
    for cut in (100, 1000, 3000):
        cases["c10-truncated-%d.bin" % cut] = record10(1)[:cut]
    for name, data in cases.items():
        write("cifar", name, data)


# ---------------------------------------------------------------- CSV
def csv():
    good = "a,b,target\n1,2,0.5\n3,4,1.5\n"
    cases = {
        "empty.csv": "",
        "header-only.csv": "a,b,target\n",
        "blank-lines-only.csv": "\n\n\r\n",
        "ragged-row-short.csv": "a,b,target\n1,2,0.5\n3,4\n",
        "ragged-row-long.csv": "a,b,target\n1,2,0.5,9\n",
        "unclosed-quote.csv": 'a,b,target\n"1,2,0.5\n3,4,1\n',
        "quote-in-middle.csv": 'a,b,target\n1"x",2,0.5\n',
        "text-feature.csv": "a,b,target\nabc,2,0.5\n",
        "nan-feature.csv": "a,b,target\nnan,2,0.5\n",
        "inf-feature.csv": "a,b,target\ninf,2,0.5\n",
        "1e500-feature.csv": "a,b,target\n1e500,2,0.5\n",
        "minus-1e500-target.csv": "a,b,target\n1,2,-1e500\n",
        "empty-cell.csv": "a,b,target\n1,,0.5\n",
        "text-target-regression.csv": "a,b,target\n1,2,cat\n",
        "nan-target.csv": "a,b,target\n1,2,NaN\n",
        "number-with-trailing-text.csv": "a,b,target\n1.5kg,2,0.5\n",
        "only-target-column.csv": "target\n1\n2\n",
        "cr-only-line-ends.csv": "a,b,target\r1,2,0.5\r3,4,1.5\r",
        "semicolon-separated.csv": "a;b;target\n1;2;0.5\n",
        "space-in-number.csv": "a,b,target\n1 2,2,0.5\n",
        "huge-exponent-target.csv": "a,b,target\n1,2,1e99999999999\n",
    }
    binary = {
        "invalid-utf8-feature.csv": b"a,b,target\n\xff\xfe,2,0.5\n",
        "nul-bytes.csv": b"a,b,target\n1\x00,2,0.5\n",
        "binary-garbage.csv": bytes((i * 29 + 7) % 256 for i in range(2048)),
        "long-line-no-newline.csv": b"a,b,target\n" + b"1," * 200000,
    }
    for name, data in cases.items():
        write("csv", name, data)
    for name, data in binary.items():
        write("csv", name, data)
    assert good


# ---------------------------------------------------------------- images
def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, depth=8, colour=2, idat=None, crc_ok=True):
    signature = b"\x89PNG\r\n\x1a\n"
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
    if not crc_ok:
        ihdr = ihdr[:-4] + b"\x00\x00\x00\x00"
    if idat is None:
        row = b"\x00" + bytes(3 * min(width, 4))
        idat = zlib.compress(row * min(height, 4))
    return signature + ihdr + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def bmp(width, height, bpp=24, pixel_offset=54, pixels=None, compression=0):
    row = ((width * bpp + 31) // 32) * 4 if width > 0 and bpp > 0 else 0
    if pixels is None:
        pixels = bytes(min(row * abs(height), 4096))
    size = pixel_offset + len(pixels)
    header = b"BM" + struct.pack("<IHHI", size, 0, 0, pixel_offset)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, bpp, compression, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def jpeg_sof(width, height, truncate_after_sof=False):
    soi = b"\xff\xd8"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    data = soi + sof
    if truncate_after_sof:
        return data
    return data + b"\xff\xda\x00\x0c\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00" + bytes(64) + b"\xff\xd9"


def images():
    good_png = png(4, 4)
    cases = {
        "png-65535x65535.png": png(65535, 65535),
        "png-65535x1.png": png(65535, 1, idat=zlib.compress(b"\x00" * 10)),
        "png-0x0.png": png(0, 0),
        "png-2pow31-wide.png": png(0x80000000, 1),
        "png-signature-only.png": b"\x89PNG\r\n\x1a\n",
        "png-truncated-ihdr.png": good_png[:20],
        "png-truncated-idat.png": good_png[: len(good_png) - 20],
        "png-no-idat.png": b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + png_chunk(b"IEND", b""),
        "png-garbage-idat.png": png(4, 4, idat=b"\x78\x9c" + bytes(range(40))),
        "png-short-idat.png": png(4, 4, idat=zlib.compress(b"\x00\x01")),
        "png-bit-depth-3.png": png(4, 4, depth=3),
        "png-colour-type-7.png": png(4, 4, colour=7),
        "png-bad-filter.png": png(4, 4, idat=zlib.compress((b"\x09" + bytes(12)) * 4)),
        "png-chunk-length-2pow31.png": b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 0x7FFFFFFF) + b"IHDR" + bytes(13),
        "bmp-65535x65535.bmp": bmp(65535, 65535),
        "bmp-minus-65535-height.bmp": bmp(4, -65535),
        "bmp-0x0.bmp": bmp(0, 0),
        "bmp-bpp-0.bmp": bmp(4, 4, bpp=0, pixels=bytes(64)),
        "bmp-bpp-7.bmp": bmp(4, 4, bpp=7, pixels=bytes(64)),
        "bmp-header-truncated.bmp": bmp(4, 4)[:30],
        "bmp-rle-garbage.bmp": bmp(4, 4, bpp=8, compression=1, pixels=bytes(range(256)) * 2),
        "bmp-2pow31-wide.bmp": bmp(0x7FFFFFFF, 1, pixels=bytes(16)),
        "jpeg-65535x65535.jpg": jpeg_sof(65535, 65535),
        "jpeg-soi-only.jpg": b"\xff\xd8",
        "jpeg-truncated-after-sof.jpg": jpeg_sof(8, 8, truncate_after_sof=True),
        "jpeg-zero-size.jpg": jpeg_sof(0, 0),
        "jpeg-garbage-after-soi.jpg": b"\xff\xd8" + bytes((i * 7) % 256 for i in range(300)),
        "empty.png": b"",
        "text-named-png.png": b"this is not an image\n",
        "gif-unsupported.gif": b"GIF89a\x04\x00\x04\x00\x00\x00\x00;",
    }
    for name, data in cases.items():
        write("image", name, data)


# ---------------------------------------------------------------- .pt
def zip_records(data):
    """(local header offset, name, data offset, stored size) of each entry, and the central directory offset."""
    records = []
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        for info in z.infolist():
            name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
            start = info.header_offset + 30 + name_length + extra_length
            records.append((info.header_offset, info.filename, start, info.compress_size))
    eocd = data.rfind(b"PK\x05\x06")
    central = struct.unpack("<I", data[eocd + 16: eocd + 20])[0]
    return records, central, eocd


def flip(data, offset, mask=0x01):
    return data[:offset] + bytes([data[offset] ^ mask]) + data[offset + 1:]


def put(data, offset, fmt, value):
    return data[:offset] + struct.pack(fmt, value) + data[offset + struct.calcsize(fmt):]


def stored_zip(entries, archive="archive"):
    out = __import__("io").BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(archive + "/" + name, data)
    return out.getvalue()


def pt(seeds):
    for seed in ("weights", "checkpoint", "model"):
        data = open(os.path.join(seeds, seed + ".pt"), "rb").read()
        n = len(data)
        records, central, eocd = zip_records(data)
        for cut in (0, 2, 30, 100, n // 2, central, eocd, n - 1):
            write("pt", "%s-truncated-at-%d.pt" % (seed, cut), data[:cut])
        pkl = [r for r in records if r[1].endswith("/data.pkl")][0]
        tensor = [r for r in records if "/data/" in r[1]][0]
        write("pt", seed + "-bitflip-data-pkl.pt", flip(data, pkl[2] + pkl[3] // 2))
        write("pt", seed + "-bitflip-tensor.pt", flip(data, tensor[2] + 3, 0x80))
        write("pt", seed + "-bitflip-local-signature.pt", flip(data, tensor[0]))
        write("pt", seed + "-bitflip-central-signature.pt", flip(data, central))
        write("pt", seed + "-central-size-2pow32-1.pt", put(data, central + 24, "<I", 0xFFFFFFFF))
        write("pt", seed + "-central-offset-beyond-end.pt", put(data, central + 42, "<I", n + 1000))
        write("pt", seed + "-central-name-length-65535.pt", put(data, central + 28, "<H", 0xFFFF))
        write("pt", seed + "-eocd-central-offset-zero.pt", put(data, eocd + 16, "<I", 0))
        write("pt", seed + "-local-name-length-65535.pt", put(data, tensor[0] + 26, "<H", 0xFFFF))
        # LibTorch writes zip64 records, whose 64-bit fields override the classic end record's.
        zip64 = data.find(b"PK\x06\x06")
        assert zip64 > 0
        write("pt", seed + "-zip64-entries-2pow64-1.pt", put(put(data, zip64 + 24, "<Q", 2 ** 64 - 1), zip64 + 32, "<Q", 2 ** 64 - 1))
        write("pt", seed + "-zip64-central-size-2pow63.pt", put(data, zip64 + 40, "<Q", 2 ** 63))
        write("pt", seed + "-zip64-central-offset-beyond-end.pt", put(data, zip64 + 48, "<Q", n + 4096))
        write("pt", seed + "-zip64-locator-offset-beyond-end.pt", put(data, data.find(b"PK\x06\x07") + 8, "<Q", 2 ** 40))

    weights = open(os.path.join(seeds, "weights.pt"), "rb").read()
    records, _, _ = zip_records(weights)
    entries = []
    with zipfile.ZipFile(__import__("io").BytesIO(weights)) as z:
        for info in z.infolist():
            entries.append((info.filename.split("/", 1)[1], z.read(info)))
    without = [(name, data) for name, data in entries if name != "data.pkl"]
    write("pt", "crafted-no-data-pkl.pt", stored_zip(without))
    write("pt", "crafted-duplicate-entries.pt", stored_zip(entries + entries))
    write("pt", "crafted-path-traversal.pt", stored_zip([("../" + name, data) for name, data in entries]))
    write("pt", "crafted-two-archives.pt", stored_zip(entries[:2], "one") + b"")
    write("pt", "crafted-empty-zip.pt", stored_zip([]))
    write("pt", "crafted-missing-tensor.pt", stored_zip([(name, data) for name, data in entries if name != "data/0"]))
    write("pt", "crafted-tensor-too-short.pt", stored_zip([(name, data[:3] if name == "data/0" else data) for name, data in entries]))
    # A pickle that asks for os.system: the loader must refuse unknown globals, never run them.
    evil = b"\x80\x02cos\nsystem\nq\x00X\x11\x00\x00\x00echo netdraft-pwnq\x01\x85q\x02Rq\x03."
    write("pt", "crafted-pickle-os-system.pt", stored_zip([(name, evil if name == "data.pkl" else data) for name, data in entries]))
    write("pt", "crafted-pickle-garbage.pt", stored_zip([(name, b"\x80\x02garbage" if name == "data.pkl" else data) for name, data in entries]))
    write("pt", "crafted-pickle-empty.pt", stored_zip([(name, b"" if name == "data.pkl" else data) for name, data in entries]))
    # Zip bombs: deflated entries that inflate far beyond the cap.
    bomb = __import__("io").BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr("archive/" + name, data)
        z.writestr("archive/code/__torch__.py", b"\x00" * (300 * 1024 * 1024))
    write("pt", "zip-bomb-300mb-code.pt", bomb.getvalue())
    bomb = __import__("io").BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.pkl", b"\x80\x02" + b"N" * (64 * 1024 * 1024) + b".")
        z.writestr("archive/version", b"3\n")
    write("pt", "zip-bomb-deflated-data-pkl.pt", bomb.getvalue())
    # A tensor record shorter than the pickle's sizes claim (LibTorch reads past it): in a checkpoint too.
    checkpoint = open(os.path.join(seeds, "checkpoint.pt"), "rb").read()
    with zipfile.ZipFile(__import__("io").BytesIO(checkpoint)) as z:
        checkpoint_entries = [(info.filename.split("/", 1)[1], z.read(info)) for info in z.infolist()]
    write("pt", "crafted-checkpoint-tensor-too-short.pt",
          stored_zip([(name, data[:3] if name == "data/0" else data) for name, data in checkpoint_entries]))
    # Weights pickles that are no dict of name -> tensor, and OrderedDict pickles (torch.save of a
    # state_dict) that the reader's rewrite must refuse rather than pass on to LibTorch's asserts.
    for name, pickle in (("list", b"\x80\x02]q\x00(K\x01K\x02e."), ("number", b"\x80\x02K\x03."),
                         ("dict-of-ints", b"\x80\x02}q\x00X\x01\x00\x00\x00aK\x01s."),
                         ("protocol-4", b"\x80\x04K\x01."),
                         ("ordereddict-setitem-underflow", b"\x80\x02ccollections\nOrderedDict\n)Rs."),
                         ("ordereddict-build-underflow", b"\x80\x02ccollections\nOrderedDict\nq\x00)Rb."),
                         ("ordereddict-not-called", b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01h\x00."),
                         ("ordereddict-cut-in-global", b"\x80\x02ccollections\nOrderedDict")):
        write("pt", "crafted-pickle-%s.pt" % name,
              stored_zip([(entry, pickle if entry == "data.pkl" else data) for entry, data in entries]))
    write("pt", "not-a-zip.pt", b"\x80\x02}q\x00.")
    write("pt", "empty.pt", b"")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default=os.path.join(HERE, "seeds"))
    seeds = parser.parse_args().seeds
    projects(seeds)
    idx()
    cifar()
    csv()
    images()
    pt(seeds)
    total = sum(len(files) for folder, _, files in os.walk(HERE) if os.path.basename(folder) not in ("corpus", "seeds"))
    print("%d corpus files" % total)


if __name__ == "__main__":
    main()
