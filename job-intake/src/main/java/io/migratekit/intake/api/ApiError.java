package io.migratekit.intake.api;

/**
 * The body of every error answer: {@code {"error", "details", "timestamp"}}. {@code error} is the
 * stable text clients match on (the original product's texts), {@code details} says what exactly,
 * {@code timestamp} is ISO-8601 UTC. Never carries a secret, a stack trace or a raw request value.
 */
public record ApiError(String error, String details, String timestamp) {
}
