package io.migratekit.platform.target;

import io.migratekit.cloudstack.AsyncJobJournal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The durable {@link AsyncJobJournal}: one row per open CloudStack job, {@code (operation_key,
 * command, job_id, recorded_at)}, in a table of the owning service (job-service and failover-service
 * each their own: one writer per table). {@link #recorded} is an upsert in its own committed
 * transaction, so the job is durable before the platform waits on it; {@link #ended} deletes the row.
 * Owns these three statements only; the table comes from the service's Flyway migration.
 */
public final class JdbcAsyncJobJournal implements AsyncJobJournal {

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*");

    private final DataSource dataSource;
    private final String table;
    private final Clock clock;

    public JdbcAsyncJobJournal(DataSource dataSource, String table, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.table = table;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<String> recordedJob(String operationKey) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT job_id FROM " + table + " WHERE operation_key = ?")) {
            select.setString(1, operationKey);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed("read the job of " + operationKey, e);
        }
    }

    @Override
    public void recorded(String operationKey, String command, String jobId) {
        update("INSERT INTO " + table + " (operation_key, command, job_id, recorded_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (operation_key) DO UPDATE SET command = EXCLUDED.command, job_id = EXCLUDED.job_id,"
                + " recorded_at = EXCLUDED.recorded_at", "record job " + jobId + " of " + operationKey,
                operationKey, command, jobId, Timestamp.from(clock.instant()));
    }

    @Override
    public void ended(String operationKey) {
        update("DELETE FROM " + table + " WHERE operation_key = ?", "end the job of " + operationKey, operationKey);
    }

    private void update(String sql, String what, Object... values) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setObject(i + 1, values[i]);
                }
                statement.executeUpdate();
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("cannot " + what + " in " + table + ": " + e.getMessage(), e);
    }
}
