package io.migratekit.vmasim;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A minimal NBD client, enough for a copy engine that writes: the fixed-newstyle handshake with
 * {@code NBD_OPT_GO} for one export, then {@code NBD_CMD_WRITE}, {@code NBD_CMD_FLUSH} and
 * {@code NBD_CMD_DISC}, one request at a time with simple replies (protocol: the NBD project's
 * {@code doc/proto.md}).
 *
 * <p>Owns the wire format and turning the server's refusals into messages that name the export
 * and the reason. It does not own which blocks to write or retries (the {@link DataCopier}). Not
 * thread-safe: one copy uses one client.
 */
final class NbdClient implements Closeable {

    private static final long NBDMAGIC = 0x4e42444d41474943L;
    private static final long IHAVEOPT = 0x49484156454F5054L;
    private static final long OLDSTYLE_MAGIC = 0x00420281861253L;
    private static final long OPTION_REPLY_MAGIC = 0x3e889045565a9L;
    private static final int REQUEST_MAGIC = 0x25609513;
    private static final int SIMPLE_REPLY_MAGIC = 0x67446698;

    private static final int FLAG_FIXED_NEWSTYLE = 1;
    private static final int FLAG_NO_ZEROES = 2;
    private static final int OPT_GO = 7;
    private static final int REP_ACK = 1;
    private static final int REP_INFO = 3;
    private static final int INFO_EXPORT = 0;
    private static final int TRANSMISSION_READ_ONLY = 1 << 1;
    private static final int TRANSMISSION_SEND_FLUSH = 1 << 2;
    private static final int CMD_WRITE = 1;
    private static final int CMD_DISC = 2;
    private static final int CMD_FLUSH = 3;
    private static final int MAX_OPTION_REPLY = 64 * 1024;

    private final NbdTarget target;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private long exportSize = -1;
    private int transmissionFlags;
    private long nextHandle = 1;

    private NbdClient(NbdTarget target, Socket socket) throws IOException {
        this.target = target;
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 256 * 1024));
    }

    /** Connects and negotiates the export; afterwards the client is in the transmission phase. */
    static NbdClient connect(NbdTarget target, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            socket.connect(new InetSocketAddress(target.host(), target.port()), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            NbdClient client = new NbdClient(target, socket);
            try {
                client.handshake();
            } catch (EOFException e) {
                throw client.failure("the server closed the connection during the handshake");
            }
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The export's size in bytes, as the server announced it. */
    long exportSize() {
        return exportSize;
    }

    /** Writes {@code data} at {@code offset} and waits for the server's reply. */
    void write(long offset, byte[] data) throws IOException {
        long handle = request(CMD_WRITE, offset, data.length);
        out.write(data);
        out.flush();
        awaitReply(handle, "write of " + data.length + " bytes at offset " + offset);
    }

    /** Asks the server to persist what was written, when it offers flush. */
    void flush() throws IOException {
        if ((transmissionFlags & TRANSMISSION_SEND_FLUSH) == 0) {
            return;
        }
        long handle = request(CMD_FLUSH, 0, 0);
        out.flush();
        awaitReply(handle, "flush");
    }

    /** Sends the disconnect request (it has no reply) and closes the connection. */
    @Override
    public void close() throws IOException {
        try {
            if (!socket.isClosed() && exportSize >= 0) {
                request(CMD_DISC, 0, 0);
                out.flush();
            }
        } finally {
            socket.close();
        }
    }

    private void handshake() throws IOException {
        if (in.readLong() != NBDMAGIC) {
            throw failure("the server is not an NBD server");
        }
        long version = in.readLong();
        if (version == OLDSTYLE_MAGIC) {
            throw failure("the server speaks only the oldstyle handshake, which has no export names");
        }
        if (version != IHAVEOPT) {
            throw failure("unexpected handshake magic 0x" + Long.toHexString(version));
        }
        int serverFlags = in.readUnsignedShort();
        if ((serverFlags & FLAG_FIXED_NEWSTYLE) == 0) {
            throw failure("the server does not offer the fixed newstyle handshake");
        }
        out.writeInt(FLAG_FIXED_NEWSTYLE | (serverFlags & FLAG_NO_ZEROES));

        byte[] name = target.exportName().getBytes(StandardCharsets.UTF_8);
        out.writeLong(IHAVEOPT);
        out.writeInt(OPT_GO);
        out.writeInt(4 + name.length + 2);
        out.writeInt(name.length);
        out.write(name);
        out.writeShort(0);
        out.flush();

        while (true) {
            long magic = in.readLong();
            if (magic != OPTION_REPLY_MAGIC) {
                throw failure("unexpected option reply magic 0x" + Long.toHexString(magic));
            }
            in.readInt();
            int type = in.readInt();
            int length = in.readInt();
            if (length < 0 || length > MAX_OPTION_REPLY) {
                throw failure("option reply of " + Integer.toUnsignedString(length) + " bytes");
            }
            byte[] data = in.readNBytes(length);
            if (data.length < length) {
                throw new EOFException();
            }
            if (type < 0) {
                throw failure("the server refused the export: " + replyError(type)
                        + (data.length > 0 ? " (" + new String(data, StandardCharsets.UTF_8) + ")" : ""));
            }
            if (type == REP_INFO && data.length >= 12 && ByteBuffer.wrap(data).getShort() == INFO_EXPORT) {
                ByteBuffer info = ByteBuffer.wrap(data, 2, 10);
                exportSize = info.getLong();
                transmissionFlags = Short.toUnsignedInt(info.getShort());
            } else if (type == REP_ACK) {
                break;
            }
        }
        if (exportSize < 0) {
            throw failure("the server accepted the export without describing it");
        }
        if ((transmissionFlags & TRANSMISSION_READ_ONLY) != 0) {
            throw failure("the export is read-only");
        }
    }

    private long request(int type, long offset, int length) throws IOException {
        long handle = nextHandle++;
        out.writeInt(REQUEST_MAGIC);
        out.writeShort(0);
        out.writeShort(type);
        out.writeLong(handle);
        out.writeLong(offset);
        out.writeInt(length);
        return handle;
    }

    private void awaitReply(long handle, String what) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw failure("the server closed the connection instead of answering the " + what);
        }
        if (magic != SIMPLE_REPLY_MAGIC) {
            throw failure("unexpected reply magic 0x" + Integer.toHexString(magic) + " to the " + what);
        }
        int error = in.readInt();
        long replyHandle = in.readLong();
        if (replyHandle != handle) {
            throw failure("reply for request " + replyHandle + " while waiting for " + handle);
        }
        if (error != 0) {
            throw failure("the " + what + " failed: " + errno(error));
        }
    }

    private IOException failure(String message) {
        return new IOException("export " + target + ": " + message);
    }

    private static String replyError(int type) {
        return switch (type & 0x7fffffff) {
            case 1 -> "NBD_REP_ERR_UNSUP";
            case 2 -> "NBD_REP_ERR_POLICY";
            case 3 -> "NBD_REP_ERR_INVALID";
            case 4 -> "NBD_REP_ERR_PLATFORM";
            case 5 -> "NBD_REP_ERR_TLS_REQD";
            case 6 -> "NBD_REP_ERR_UNKNOWN";
            case 7 -> "NBD_REP_ERR_SHUTDOWN";
            case 8 -> "NBD_REP_ERR_BLOCK_SIZE_REQD";
            case 9 -> "NBD_REP_ERR_TOO_BIG";
            default -> "error reply " + Integer.toUnsignedString(type);
        };
    }

    private static String errno(int error) {
        return switch (error) {
            case 1 -> "EPERM";
            case 5 -> "EIO";
            case 12 -> "ENOMEM";
            case 22 -> "EINVAL";
            case 28 -> "ENOSPC";
            case 75 -> "EOVERFLOW";
            case 95 -> "ENOTSUP";
            case 108 -> "ESHUTDOWN";
            default -> "error " + error;
        };
    }
}
