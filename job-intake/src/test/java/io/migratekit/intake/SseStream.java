package io.migratekit.intake;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server-sent-events client of one stream: reads the response line by line on its own
 * thread and parses the frames ({@code id:}, {@code event:}, {@code data:}), so a test can wait for
 * the next frame and for the end of the stream.
 */
final class SseStream implements AutoCloseable {

    /** One server-sent event. */
    record Frame(String id, String event, String data) {
    }

    private static final Frame END = new Frame(null, null, null);

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Opens the stream; the answer is there when this returns (its status may be an error). */
    static SseStream open(HttpClient client, String url, String token, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return new SseStream(client.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (Exception e) {
            throw new IllegalStateException("could not open " + url, e);
        }
    }

    int status() {
        return response.statusCode();
    }

    Optional<String> contentType() {
        return response.headers().firstValue("Content-Type");
    }

    /** The next frame, or empty when the stream ended; fails when none came within the wait. */
    Optional<Frame> next(Duration wait) {
        try {
            Frame frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no event and no end of the stream within " + wait);
            }
            if (frame == END) {
                frames.add(END);
                return Optional.empty();
            }
            return Optional.of(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every frame up to the end of the stream (bounded wait per frame). */
    List<Frame> rest(Duration wait) {
        List<Frame> rest = new ArrayList<>();
        for (Optional<Frame> frame = next(wait); frame.isPresent(); frame = next(wait)) {
            rest.add(frame.get());
        }
        return rest;
    }

    /** Whether a frame or the end is waiting to be read. */
    boolean hasWaiting() {
        return !frames.isEmpty();
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null || event != null) {
                        frames.add(new Frame(id, event, data == null ? null : data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = value(line);
                } else if (line.startsWith("event:")) {
                    event = value(line);
                } else if (line.startsWith("data:")) {
                    data = data == null ? new StringBuilder(value(line)) : data.append('\n').append(value(line));
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed by the test
        } finally {
            frames.add(END);
        }
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            response.body().close();
        } catch (RuntimeException e) {
            // already closed
        }
    }
}
