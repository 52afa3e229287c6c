package io.migratekit.intake.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The role a configured token carries and the permissions it grants: {@code operator} reads and
 * writes (and may call the change-id callbacks), {@code read-only} only reads, {@code vma} only
 * calls the change-id callbacks of the copy engine.
 */
public enum Role {
    OPERATOR("operator", EnumSet.of(Permission.READ, Permission.WRITE, Permission.CHANGE_ID)),
    READ_ONLY("read-only", EnumSet.of(Permission.READ)),
    VMA("vma", EnumSet.of(Permission.CHANGE_ID));

    private final String configName;
    private final Set<Permission> permissions;

    Role(String configName, Set<Permission> permissions) {
        this.configName = configName;
        this.permissions = permissions;
    }

    public boolean permits(Permission permission) {
        return permissions.contains(permission);
    }

    /** The name used in configuration ({@code operator}, {@code read-only}, {@code vma}). */
    public String configName() {
        return configName;
    }

    /** Parses a configured role name, case-insensitively. */
    public static Role fromConfig(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Role role : values()) {
                if (role.configName.equals(wanted)) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "', expected one of: " + Arrays.stream(values())
                .map(Role::configName).collect(Collectors.joining(", ")));
    }
}
