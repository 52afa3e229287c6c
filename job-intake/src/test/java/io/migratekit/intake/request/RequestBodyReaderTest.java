package io.migratekit.intake.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.intake.api.ApiProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class RequestBodyReaderTest {

    private final RequestBodyReader reader = new RequestBodyReader(10);

    @Test
    void aBodyUpToTheLimitIsReadWhole() {
        byte[] body = "0123456789".getBytes();

        assertThat(reader.read(body.length, new ByteArrayInputStream(body))).isEqualTo(body);
        assertThat(reader.read(-1, new ByteArrayInputStream(body))).isEqualTo(body);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutReading() {
        InputStream neverRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };

        assertTooLarge(() -> reader.read(11, neverRead));
    }

    @Test
    void anUndeclaredBodyIsRefusedAsSoonAsItPassesTheLimit() {
        assertTooLarge(() -> reader.read(-1, new ByteArrayInputStream(new byte[11])));
    }

    @Test
    void aBodyThatCannotBeReadIsAnInvalidPayload() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> reader.read(-1, broken)).isInstanceOfSatisfying(ApiProblem.class, problem -> {
            assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(problem.error()).isEqualTo("Invalid request payload");
            assertThat(problem.details()).isEqualTo("the request body could not be read");
        });
    }

    private static void assertTooLarge(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiProblem.class, problem -> {
            assertThat(problem.status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
            assertThat(problem.error()).isEqualTo("Request body too large");
            assertThat(problem.details()).isEqualTo("The request body exceeds 10 bytes");
        });
    }
}
