package io.migratekit.intake.api;

import io.migratekit.schemas.EventCatalog;
import io.migratekit.schemas.TopicSettings;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the event catalog (AsyncAPI 3.0, {@link EventCatalog}) beside the OpenAPI document, with the
 * retention this deployment creates its topics with. Public like the OpenAPI document: it describes
 * the contract, no data. Owns only the endpoint; the document's content is the catalog's.
 */
@RestController
@Hidden
public class EventCatalogController {

    /** Where the catalog is served (the OpenAPI document is at {@code /v3/api-docs}). */
    public static final String PATH = "/v3/asyncapi";

    private final String document;

    /** With the retention of the platform's topic layout; the catalog's default where there is none (web slices). */
    public EventCatalogController(ObjectProvider<TopicSettings> topics) {
        TopicSettings layout = topics.getIfAvailable();
        this.document = EventCatalog.asyncApi(layout != null ? layout.retention() : EventCatalog.DEFAULT_RETENTION);
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public String asyncApi() {
        return document;
    }
}
