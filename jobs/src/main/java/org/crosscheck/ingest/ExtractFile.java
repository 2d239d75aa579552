package org.crosscheck.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.crosscheck.core.CrossCheckException;

/**
 * One delivered file: where it is and the SHA-256 of its bytes. For text formats the same single pass also
 * decodes the bytes strictly with the mapping's encoding, so a file that is not really in that encoding is
 * refused with the line where decoding failed, instead of being loaded with replacement characters.
 */
public record ExtractFile(String path, String sha256, long bytes, String headerLine, boolean endsWithoutLineEnd) {

    /** A file known to end with a line end (or a binary file). */
    public ExtractFile(String path, String sha256, long bytes, String headerLine) {
        this(path, sha256, bytes, headerLine, false);
    }

    /** True when the file holds no bytes at all. */
    public boolean empty() {
        return bytes == 0;
    }

    private static final int BUFFER = 1 << 16;

    /**
     * Reads the file once through Hadoop's FileSystem (local, HDFS or S3 alike).
     *
     * @param charset null for binary formats (Parquet): no decoding check, no header line
     */
    public static ExtractFile fingerprint(Configuration hadoopConf, String path, Charset charset) {
        Path p = new Path(path);
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        CharsetDecoder decoder = charset == null ? null : charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        DeliveryCheck damage = charset == null ? null : new DeliveryCheck(charset);
        long total = 0;
        StringBuilder header = charset == null ? null : new StringBuilder();
        boolean headerDone = charset == null;
        long line = 1;
        try (InputStream in = FileSystem.get(p.toUri(), hadoopConf).open(p)) {
            byte[] buf = new byte[BUFFER];
            ByteBuffer pending = ByteBuffer.allocate(BUFFER + 16);
            CharBuffer chars = CharBuffer.allocate(BUFFER + 16);
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
                total += n;
                if (damage != null) {
                    damage.update(buf, 0, n);
                }
                if (decoder == null) {
                    continue;
                }
                pending = ensureRoom(pending, n);
                pending.put(buf, 0, n);
                pending.flip();
                while (true) {
                    chars.clear();
                    CoderResult r = decoder.decode(pending, chars, false);
                    chars.flip();
                    for (int i = 0; i < chars.length(); i++) {
                        char c = chars.charAt(i);
                        if (c == '\n') {
                            line++;
                            headerDone = true;
                        } else if (!headerDone && c != '\r') {
                            header.append(c);
                        }
                    }
                    if (r.isError()) {
                        throw CrossCheckException.badInput("file " + path + " cannot be decoded as " + charset.name()
                                + ": invalid byte sequence at line " + line + ". Check the encoding in its mapping.");
                    }
                    if (r.isUnderflow()) {
                        break;
                    }
                }
                pending.compact();
            }
            if (decoder != null) {
                pending.flip();
                chars.clear();
                CoderResult r = decoder.decode(pending, chars, true);
                if (r.isError() || pending.hasRemaining()) {
                    throw CrossCheckException.badInput("file " + path + " cannot be decoded as " + charset.name()
                            + ": the file ends inside a multi-byte character (line " + line + ")");
                }
                try {
                    chars.clear();
                    decoder.flush(chars);
                } catch (IllegalStateException e) {
                    // already flushed
                }
            }
        } catch (java.io.FileNotFoundException e) {
            throw CrossCheckException.badInput("file " + path + " does not exist", e);
        } catch (IOException e) {
            throw CrossCheckException.badInput("file " + path + " cannot be read: " + e.getMessage(), e);
        }
        if (damage != null) {
            damage.requirePlausible(path);
        }
        String headerLine = header == null ? null : stripBom(header.toString());
        return new ExtractFile(path, HexFormat.of().formatHex(digest.digest()), total, headerLine,
                damage != null && damage.endsWithoutLineEnd());
    }

    /**
     * The file with only its header line read (no hash, no decoding check): for readers that need the header
     * without a pass over every byte, such as the benchmark floor. Null charset (Parquet): no header line.
     */
    public static ExtractFile headerOnly(Configuration hadoopConf, String path, Charset charset) {
        if (charset == null) {
            return new ExtractFile(path, null, -1, null);
        }
        Path p = new Path(path);
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(FileSystem.get(p.toUri(), hadoopConf).open(p), charset))) {
            String line = r.readLine();
            return new ExtractFile(path, null, -1, line == null ? null : stripBom(line));
        } catch (IOException e) {
            throw CrossCheckException.badInput("file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer ensureRoom(ByteBuffer b, int n) {
        if (b.remaining() >= n) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(b.position() + n + 16);
        b.flip();
        bigger.put(b);
        return bigger;
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }
}
