package io.migratekit.vmasim;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin routes on a simulated disk's bytes, so a test can change a source disk between two
 * copies and compare source and target afterwards:
 * <pre>
 * POST /sim/vms/{vm}/disks/{disk}/blocks    {"offset": n, "data_base64": "..."} or {"random_blocks": n, "seed": s}
 * GET  /sim/vms/{vm}/disks/{disk}/checksum  SHA-256 of the disk's content area
 * </pre>
 * {@code {vm}} is a VM id or name, {@code {disk}} {@code disk-2000} or {@code 2000}.
 *
 * <p>Owns these routes' validation and JSON; the bytes are the {@link DiskContent}'s.
 */
final class DiskAdmin {

    private final Inventory inventory;
    private final DiskContents contents;

    DiskAdmin(Inventory inventory, DiskContents contents) {
        this.inventory = inventory;
        this.contents = contents;
    }

    /** Handles {@code /sim/vms/{vm}/disks/{disk}/{action}} (six segments). */
    SimResponse handle(SimRequest req) {
        String action = req.segment(5);
        boolean blocks = "blocks".equals(action);
        if (!blocks && !"checksum".equals(action)) {
            throw HttpError.notFound("404 page not found");
        }
        if (!req.is(blocks ? "POST" : "GET")) {
            throw new HttpError(405, "method not allowed");
        }
        SimVm vm = inventory.find(req.segment(2)).orElseThrow(() -> HttpError.notFound("VM not found: " + req.segment(2)));
        SimDisk disk = disk(vm, req.segment(4));
        DiskContent content = contents.of(vm, disk);
        return blocks ? write(vm, disk, content, req.json()) : checksum(vm, disk, content);
    }

    private static SimDisk disk(SimVm vm, String name) {
        String key = name.startsWith("disk-") ? name.substring(5) : name;
        try {
            SimDisk disk = vm.diskByKey(Integer.parseInt(key));
            if (disk != null) {
                return disk;
            }
        } catch (NumberFormatException e) {
            // not a device key: reported below like an unknown one
        }
        throw HttpError.notFound("VM " + vm.name() + " has no disk " + name);
    }

    private static SimResponse write(SimVm vm, SimDisk disk, DiskContent content, ObjectNode body) {
        boolean random = body.has("random_blocks");
        boolean bytes = body.has("data_base64");
        if (random == bytes) {
            throw HttpError.badRequest("give either offset and data_base64, or random_blocks and seed");
        }
        List<Integer> touched;
        long written;
        try {
            if (random) {
                long count = Json.integer(body, "random_blocks", 0);
                touched = content.writeRandomBlocks((int) Math.max(0, Math.min(Integer.MAX_VALUE, count)), Json.integer(body, "seed", 0));
                written = 0;
                for (int index : touched) {
                    written += content.blockLength(index);
                }
            } else {
                if (!body.has("offset")) {
                    throw HttpError.badRequest("offset is required with data_base64");
                }
                byte[] data = decode(Json.text(body, "data_base64"));
                touched = content.write(Json.integer(body, "offset", -1), data);
                written = data.length;
            }
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        ObjectNode o = identity(vm, disk);
        ArrayNode list = o.putArray("blocks");
        touched.forEach(list::add);
        o.put("bytes_written", written);
        o.put("sha256", HexFormat.of().formatHex(content.sha256()));
        return SimResponse.ok(o);
    }

    private static SimResponse checksum(SimVm vm, SimDisk disk, DiskContent content) {
        ObjectNode o = identity(vm, disk);
        o.put("algorithm", "SHA-256");
        o.put("sha256", HexFormat.of().formatHex(content.sha256()));
        o.put("content_bytes", content.contentBytes());
        o.put("capacity_bytes", disk.capacityBytes());
        o.put("block_size", DiskContent.BLOCK_SIZE);
        o.put("blocks", content.blockCount());
        o.put("allocated_blocks", content.allocatedBlocks());
        return SimResponse.ok(o);
    }

    private static ObjectNode identity(SimVm vm, SimDisk disk) {
        ObjectNode o = Json.object();
        o.put("vm_id", vm.id());
        o.put("disk_id", disk.id());
        return o;
    }

    private static byte[] decode(String base64) {
        if (base64 == null) {
            throw HttpError.badRequest("data_base64 must be a base64 string");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("data_base64 is not valid base64");
        }
    }
}
