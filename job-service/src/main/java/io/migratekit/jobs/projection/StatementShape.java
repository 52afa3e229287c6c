package io.migratekit.jobs.projection;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * One statement shape of the projector: a query built with jOOQ once, with named parameters where its
 * values go, rendered once as PostgreSQL SQL, and executed over JDBC with one row of values per
 * execution, all rows of a {@link Rows} in one JDBC batch (one round trip, the statements run in the
 * rows' order). Owns the positions of the parameters and binding the values; knows nothing of what
 * the statement means. Immutable once built, so shared by threads; its {@link Rows} are not. Relies
 * on the driver reporting each statement's update count (PgJDBC does, unless
 * {@code reWriteBatchedInserts} is set, which {@link Rows#execute} refuses).
 */
final class StatementShape {

    private static final char PREFIX = ':';
    private static final DSLContext RENDERER = DSL.using(SQLDialect.POSTGRES,
            new Settings().withRenderNamedParamPrefix(String.valueOf(PREFIX)));

    private final String description;
    private final String sql;
    private final Map<String, Integer> params = new HashMap<>();
    private final List<Class<?>> types = new ArrayList<>();
    /** The parameter (index into {@link #types}) at each {@code ?} of {@link #sql}. */
    private final int[] positions;

    private StatementShape(String description, Query template) {
        this.description = description;
        for (Param<?> param : template.getParams().values()) {
            if (!param.isInline()) {
                if (param.getParamName() == null || !isName(param.getParamName())) {
                    throw new IllegalArgumentException(description + " has a value that is not a named parameter");
                }
                params.put(param.getParamName(), types.size());
                types.add(param.getType());
            }
        }
        String named = RENDERER.renderNamedParams(template);
        List<Integer> order = new ArrayList<>();
        this.sql = placeholders(named, order);
        if (order.size() != template.getBindValues().size()) {
            throw new IllegalArgumentException(description + ": " + order.size() + " parameters found for "
                    + template.getBindValues().size() + " bind values in " + named);
        }
        this.positions = order.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * {@code named} with each {@code :name} outside quotes replaced by JDBC's {@code ?}; adds the
     * parameter of each, in order, to {@code order}.
     */
    private String placeholders(String named, List<Integer> order) {
        StringBuilder jdbc = new StringBuilder(named.length());
        char quote = 0;
        for (int i = 0; i < named.length(); i++) {
            char c = named.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == PREFIX && i + 1 < named.length() && isNameStart(named.charAt(i + 1))) {
                int end = i + 1;
                while (end < named.length() && isNamePart(named.charAt(end))) {
                    end++;
                }
                Integer param = params.get(named.substring(i + 1, end));
                if (param == null) {
                    throw new IllegalArgumentException(description + ": unknown parameter in " + named);
                }
                order.add(param);
                jdbc.append('?');
                i = end - 1;
                continue;
            }
            jdbc.append(c);
        }
        return jdbc.toString();
    }

    /** The shape of {@code template}, whose values are all {@link #value parameters named after a column}. */
    static StatementShape of(String description, Query template) {
        return new StatementShape(description, template);
    }

    /** Where a value of {@code column} goes: a parameter named and typed as the column. */
    static <T> Param<T> value(Field<T> column) {
        return DSL.param(column.getName(), column.getDataType());
    }

    /** Rows of values to execute this statement with, empty at first. */
    Rows rows() {
        return new Rows();
    }

    /** The SQL sent to the database. */
    String sql() {
        return sql;
    }

    /** The values of the executions of one statement shape, executed together. */
    final class Rows {

        private final List<Object[]> rows = new ArrayList<>();
        private final List<boolean[]> set = new ArrayList<>();

        private Rows() {
        }

        /** Starts the values of one more execution. */
        Rows add() {
            rows.add(new Object[types.size()]);
            set.add(new boolean[types.size()]);
            return this;
        }

        /** Sets the value of the parameter named after {@code column} in the last row. */
        <T> Rows set(Field<T> column, T value) {
            Integer index = params.get(column.getName());
            if (index == null || !types.get(index).equals(column.getType())) {
                throw new IllegalArgumentException(description + " has no parameter " + column.getName()
                        + " of " + column.getType().getSimpleName());
            }
            rows.get(rows.size() - 1)[index] = value;
            set.get(set.size() - 1)[index] = true;
            return this;
        }

        /** Executes the statement once per row, in their order, and returns each execution's update count. */
        int[] execute(Connection connection) {
            if (rows.isEmpty()) {
                return new int[0];
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int row = 0; row < rows.size(); row++) {
                    bind(statement, rows.get(row), set.get(row));
                    statement.addBatch();
                }
                int[] counts = statement.executeBatch();
                for (int count : counts) {
                    if (count < 0) {
                        throw new IllegalStateException(description + ": the driver did not report update counts "
                                + "(is reWriteBatchedInserts set?)");
                    }
                }
                return counts;
            } catch (SQLException e) {
                SQLException cause = e instanceof BatchUpdateException && e.getNextException() != null
                        ? e.getNextException() : e;
                throw new DataAccessException(description + " failed: " + cause.getMessage(), cause);
            }
        }

        private void bind(PreparedStatement statement, Object[] values, boolean[] given) throws SQLException {
            for (int position = 0; position < positions.length; position++) {
                int param = positions[position];
                if (!given[param]) {
                    throw new IllegalStateException(description + ": no value for a parameter of "
                            + types.get(param).getSimpleName());
                }
                Object value = values[param];
                int index = position + 1;
                if (value == null) {
                    statement.setNull(index, sqlType(types.get(param)));
                } else if (value instanceof String s) {
                    statement.setString(index, s);
                } else if (value instanceof Long l) {
                    statement.setLong(index, l);
                } else if (value instanceof Integer i) {
                    statement.setInt(index, i);
                } else if (value instanceof Double d) {
                    statement.setDouble(index, d);
                } else if (value instanceof Boolean b) {
                    statement.setBoolean(index, b);
                } else if (value instanceof OffsetDateTime time) {
                    statement.setObject(index, time, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    throw new IllegalArgumentException(description + ": cannot bind a " + value.getClass().getName());
                }
            }
        }
    }

    private static int sqlType(Class<?> type) {
        if (type == String.class) {
            return Types.VARCHAR;
        } else if (type == Long.class) {
            return Types.BIGINT;
        } else if (type == Integer.class) {
            return Types.INTEGER;
        } else if (type == Double.class) {
            return Types.DOUBLE;
        } else if (type == Boolean.class) {
            return Types.BOOLEAN;
        } else if (type == OffsetDateTime.class) {
            return Types.TIMESTAMP_WITH_TIMEZONE;
        }
        throw new IllegalArgumentException("no JDBC type for " + type.getName());
    }

    private static boolean isName(String name) {
        if (name.isEmpty() || !isNameStart(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> isNamePart((char) c));
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
