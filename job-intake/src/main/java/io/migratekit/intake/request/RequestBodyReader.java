package io.migratekit.intake.request;

import io.migratekit.intake.api.ApiProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;

/**
 * Reads a request body into memory, refusing with 413 anything over the limit: at once when the
 * declared length is over it, or as soon as the bytes read pass it (chunked bodies). Owns only the
 * limit.
 */
public final class RequestBodyReader {

    private final int maxBytes;

    public RequestBodyReader(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max body size must be positive");
        }
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public byte[] read(long declaredLength, InputStream body) {
        if (declaredLength > maxBytes) {
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 1024);
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = body.read(buffer)) != -1) {
                if (out.size() + read > maxBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            throw ApiProblem.invalidPayload("the request body could not be read");
        }
        return out.toByteArray();
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, ApiProblem.PAYLOAD_TOO_LARGE,
                "The request body exceeds " + maxBytes + " bytes");
    }
}
