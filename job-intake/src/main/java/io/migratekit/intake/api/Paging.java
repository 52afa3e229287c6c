package io.migratekit.intake.api;

/**
 * A bounded page of a list: {@code limit} defaults and is capped by configuration, {@code offset}
 * is capped so a query can never walk a table without bound.
 */
public record Paging(int limit, int offset) {

    static final int MAX_OFFSET = 100_000;

    public static Paging of(Integer limit, Integer offset, int defaultLimit, int maxLimit) {
        int pageSize = limit == null ? defaultLimit : limit;
        int start = offset == null ? 0 : offset;
        if (pageSize < 1 || pageSize > maxLimit) {
            throw ApiProblem.invalidQuery("limit must be between 1 and " + maxLimit);
        }
        if (start < 0 || start > MAX_OFFSET) {
            throw ApiProblem.invalidQuery("offset must be between 0 and " + MAX_OFFSET);
        }
        return new Paging(pageSize, start);
    }
}
