package io.migratekit.drills;

import io.migratekit.cloudstack.NbdExport;
import io.migratekit.cloudstack.TargetOperation;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetVm;
import io.migratekit.cloudstack.TargetVmSpec;
import io.migratekit.cloudstack.TargetVolume;
import io.migratekit.cloudstack.VolumeRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The {@link TargetPlatform} of a service process in a drill: every call goes to the drill harness's
 * {@link TargetPlatformServer}. Owns only the wire translation; a refusal comes back as the
 * {@link TargetPlatformException} the simulation threw, and an unreachable harness as one of the
 * called operation (as an unreachable CloudStack would).
 */
public final class RemoteTargetPlatform implements TargetPlatform {

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RemoteTargetPlatform(String url) {
        this.url = url;
    }

    @Override
    public TargetVolume createVolume(VolumeRequest request) {
        return value(call(TargetOperation.CREATE_VOLUME, "createVolume", request), TargetVolume.class);
    }

    @Override
    public Optional<TargetVolume> findVolume(String volumeId) {
        return Optional.ofNullable(value(call(TargetOperation.ATTACH_VOLUME, "findVolume", volumeId),
                TargetVolume.class));
    }

    @Override
    public NbdExport attachToAppliance(String volumeId) {
        return value(call(TargetOperation.ATTACH_VOLUME, "attachToAppliance", volumeId), NbdExport.class);
    }

    @Override
    public void detachFromAppliance(String volumeId) {
        call(TargetOperation.DETACH_VOLUME, "detachFromAppliance", volumeId);
    }

    @Override
    public void deleteVolume(String volumeId) {
        call(TargetOperation.DELETE_VOLUME, "deleteVolume", volumeId);
    }

    @Override
    public TargetVm createVmFromVolumes(TargetVmSpec spec, List<String> volumeIds) {
        return value(call(TargetOperation.CREATE_VM, "createVmFromVolumes", spec, volumeIds), TargetVm.class);
    }

    @Override
    public TargetVm createVmFromSnapshots(TargetVmSpec spec, List<String> volumeIds) {
        return value(call(TargetOperation.CREATE_VM, "createVmFromSnapshots", spec, volumeIds), TargetVm.class);
    }

    @Override
    public Optional<TargetVm> findVm(String vmId) {
        return Optional.ofNullable(value(call(TargetOperation.CREATE_VM, "findVm", vmId), TargetVm.class));
    }

    @Override
    public void powerOn(String vmId) {
        call(TargetOperation.POWER_ON_VM, "powerOn", vmId);
    }

    @Override
    public void deleteVm(String vmId) {
        call(TargetOperation.DELETE_VM, "deleteVm", vmId);
    }

    private static <T> T value(JsonNode value, Class<T> type) {
        return value == null || value.isNull() ? null : TargetPlatformServer.JSON.treeToValue(value, type);
    }

    private JsonNode call(TargetOperation operation, String method, Object... arguments) {
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/" + method))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            TargetPlatformServer.JSON.writeValueAsBytes(Arrays.asList(arguments))))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TargetPlatformException(operation, "the target platform is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetPlatformException(operation, "interrupted while calling the target platform", e);
        }
        JsonNode answer = TargetPlatformServer.JSON.readTree(response.body());
        if (response.statusCode() == 409) {
            throw new TargetPlatformException(TargetOperation.valueOf(answer.get("operation").asString()),
                    answer.get("message").asString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("target platform call " + method + " failed: " + answer);
        }
        return answer.get("value");
    }
}
