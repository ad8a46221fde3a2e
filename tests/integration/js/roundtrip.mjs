// AWS SDK for JavaScript v3 against stratus with the SDK's default checksum behaviour:
// PutObject sends a CRC32 (as a header for in-memory bodies, as an aws-chunked trailer for
// streams) and GetObject asks for and validates the stored checksum.
// usage: node roundtrip.mjs BUCKET   (env: STRATUS_ENDPOINT, AWS_ACCESS_KEY_ID, ...)
// Prints one JSON line; exits non-zero on any mismatch.
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import assert from "node:assert/strict";
import {
  S3Client, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command,
  DeleteObjectCommand,
} from "@aws-sdk/client-s3";

const KIB = 1024;
const SIZES = [0, 1, 128 * KIB - 1, 128 * KIB, 128 * KIB + 1, 20 * KIB * KIB];
const bucket = process.argv[2];
const client = new S3Client({
  endpoint: process.env.STRATUS_ENDPOINT,
  region: process.env.AWS_DEFAULT_REGION || "us-east-1",
  forcePathStyle: true,
  maxAttempts: 1,
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  },
});

const sha = (data) => createHash("sha256").update(data).digest("hex");
const md5 = (data) => createHash("md5").update(data).digest("hex");

async function readAll(body) {
  const bytes = await body.transformToByteArray();
  return Buffer.from(bytes);
}

const results = {};
for (const size of SIZES) {
  for (const mode of size >= 128 * KIB + 1 ? ["buffer", "stream"] : ["buffer"]) {
    const key = `js/${mode}-${size}`;
    const data = randomBytes(size);
    const params = { Bucket: bucket, Key: key, ContentType: "application/octet-stream" };
    if (mode === "buffer") {
      params.Body = data;
    } else {
      params.Body = Readable.from([data.subarray(0, 65536), data.subarray(65536)]);
      params.ContentLength = size;
    }
    const put = await client.send(new PutObjectCommand(params));
    assert.equal(put.ETag, `"${md5(data)}"`, `${key}: ETag`);

    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(head.ContentLength, size, `${key}: HEAD length`);

    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = await readAll(got.Body);
    assert.equal(body.length, size, `${key}: GET length`);
    assert.equal(sha(body), sha(data), `${key}: GET bytes`);
    const returned = Object.keys(got).filter((k) => k.startsWith("Checksum") && got[k]);
    results[key] = { etag: put.ETag, checksums: returned, putChecksum: put.ChecksumCRC32 };
  }
}

const listing = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "js/" }));
assert.equal(listing.KeyCount, Object.keys(results).length, "listing count");
for (const key of Object.keys(results)) {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
let missing = null;
try {
  await client.send(new GetObjectCommand({ Bucket: bucket, Key: "js/buffer-1" }));
} catch (err) {
  missing = err.name;
}
assert.equal(missing, "NoSuchKey", "GET after delete");
console.log(JSON.stringify(results));
