package io.migratekit.platform.schedule;

/** A schedule or group field that breaks a rule; the message names the field first. */
public class InvalidScheduleException extends IllegalArgumentException {

    private final String field;

    public InvalidScheduleException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
