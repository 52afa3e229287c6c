package io.migratekit.drills;

import io.migratekit.cloudstack.TargetPlatform;
import java.util.Arrays;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The main class of a service process in a drill: {@code ServiceMain <application class> <target
 * platform URL or -> --key=value...}. Runs the service's own Spring Boot application with those
 * command-line settings and, when a URL is given, a {@link RemoteTargetPlatform} as its target
 * platform (the one the harness serves to every process). Owns nothing else: the service is exactly
 * the one a deployment runs.
 */
public final class ServiceMain {

    private ServiceMain() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        Class<?> application = Class.forName(args[0]);
        String platformUrl = args[1];
        String[] settings = Arrays.copyOfRange(args, 2, args.length);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(application);
        if (!"-".equals(platformUrl)) {
            TargetPlatform platform = new RemoteTargetPlatform(platformUrl);
            builder.initializers(context -> context.getBeanFactory().registerSingleton("targetPlatform", platform));
        }
        builder.run(settings);
    }
}
