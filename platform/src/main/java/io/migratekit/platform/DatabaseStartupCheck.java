package io.migratekit.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * At start-up, when the service's {@link DataSource} is created and so before Flyway or anything else
 * uses it: opens one plain JDBC connection to {@code spring.datasource.url} and closes it. A database
 * that does not answer within {@code migratekit.startup-timeout} (or refuses the login) stops the
 * service once with a {@link DependencyUnavailableException} naming PostgreSQL, the JDBC URL without
 * its credentials and the variable to set, instead of Flyway's or the pool's own error. Owns that one
 * probe; not the pool, the migrations, nor the database's health at run time (Boot's {@code db}
 * indicator).
 */
public class DatabaseStartupCheck implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(DatabaseStartupCheck.class);
    private static final Duration RETRY_EVERY = Duration.ofMillis(500);
    private static final Pattern USER_INFO = Pattern.compile("//[^/@?;]*@");
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile(
            "(?i)(?<=[?&;])(user|username|password|sslpassword)=[^&;]*[&;]?");

    private final Environment environment;
    private volatile boolean checked;

    public DatabaseStartupCheck(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource && !checked) {
            String url = environment.getProperty("spring.datasource.url");
            if (url != null && !url.isBlank()) {
                check(url, environment.getProperty("spring.datasource.username"),
                        environment.getProperty("spring.datasource.password"), Binder.get(environment)
                                .bind("migratekit.startup-timeout", Duration.class).orElse(Duration.ofSeconds(20)));
            }
            checked = true;
        }
        return bean;
    }

    /**
     * Connects until the database answers or {@code timeout} has passed; a refused login is final at
     * once. Throws {@link DependencyUnavailableException} when it cannot connect.
     */
    static void check(String url, String username, String password, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = withoutCredentials(url);
        while (true) {
            Properties login = new Properties();
            if (username != null) {
                login.setProperty("user", username);
            }
            if (password != null) {
                login.setProperty("password", password);
            }
            // PostgreSQL's own connect and login timeouts, in seconds, so one attempt cannot hang.
            String attemptSeconds = Long.toString(Math.max(1, Math.min(5, timeout.toSeconds())));
            login.setProperty("connectTimeout", attemptSeconds);
            login.setProperty("loginTimeout", attemptSeconds);
            try (Connection connection = DriverManager.getConnection(url, login)) {
                log.info("PostgreSQL reachable at {}", shown);
                return;
            } catch (SQLException e) {
                if (refusedLogin(e)) {
                    throw new DependencyUnavailableException("PostgreSQL", shown,
                            "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD",
                            "PostgreSQL at " + shown + " refused the login ("
                                    + DependencyUnavailableException.rootMessage(e) + ")", e);
                }
                if (System.nanoTime() >= deadline || !connectionProblem(e)) {
                    throw new DependencyUnavailableException("PostgreSQL", shown, "SPRING_DATASOURCE_URL", timeout, e);
                }
            }
            try {
                Thread.sleep(RETRY_EVERY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DependencyUnavailableException("PostgreSQL", shown, "SPRING_DATASOURCE_URL", timeout, e);
            }
        }
    }

    /** The JDBC URL without a user, password or {@code user:password@} in it. */
    static String withoutCredentials(String url) {
        String shown = CREDENTIAL_PARAMETER.matcher(USER_INFO.matcher(url).replaceFirst("//")).replaceAll("");
        return shown.endsWith("?") || shown.endsWith("&") || shown.endsWith(";")
                ? shown.substring(0, shown.length() - 1) : shown;
    }

    /** SQL state class 28: invalid authorization (wrong user or password). */
    private static boolean refusedLogin(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("28");
    }

    /** SQL state class 08: connection exception (refused, timed out, host unknown), worth another try. */
    private static boolean connectionProblem(SQLException e) {
        return e.getSQLState() == null || e.getSQLState().startsWith("08");
    }
}
