package io.circles.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the Kubernetes/Knative manifests under {@code deploy/} against the application and its
 * container images, without a cluster and without booting Quarkus.
 *
 * <p>Files are resolved relative to the working directory, which is the project root under Maven.
 *
 * <p>Sources of truth:
 *
 * <ul>
 *   <li>Paths the app serves for health: SmallRye Health's {@code /q/health/live}, {@code
 *       /q/health/ready} and {@code /q/health} ({@link #HEALTH_PATHS}).
 *   <li>Environment names the app reads ({@link #allowedEnvNames()}): every {@code ${ENV_NAME}}
 *       reference in {@code src/main/resources/application.properties}; the environment form of
 *       every property key declared there (SmallRye Config maps {@code circles.redis-url} to {@code
 *       CIRCLES_REDIS_URL}); the names of the configuration table in the README ({@link
 *       #DOCUMENTED_ENV_NAMES}); and any {@code QUARKUS_*} name (Quarkus' own configuration).
 *   <li>The HTTP port: the {@code EXPOSE} line of every {@code src/main/docker/Dockerfile.*}.
 *   <li>The application image: the image of the Knative Service's container; the only other
 *       images allowed are those in {@link #THIRD_PARTY_IMAGES}.
 * </ul>
 */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("deploy");
    static final Path DOCKER_DIR = Path.of("src", "main", "docker");
    static final Path APPLICATION_PROPERTIES =
            Path.of("src", "main", "resources", "application.properties");
    static final Path KUSTOMIZATION = DEPLOY.resolve("kustomization.yaml");

    static final Set<String> HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready", "/q/health");
    static final String LIVENESS_PATH = "/q/health/live";
    static final String READINESS_PATH = "/q/health/ready";

    /** Environment names from the README configuration table, read by the app's config mapping. */
    static final Set<String> DOCUMENTED_ENV_NAMES = Set.of(
            "REDIS_URL",
            "STRIPE_WEBHOOK_SECRET",
            "IDENFY_WEBHOOK_SECRET",
            "CIRCLES_KEYS",
            "CIRCLES_AUTH_ENABLED",
            "CIRCLES_SERVER_ENABLED",
            "CIRCLES_WORKER_ENABLED");

    /** Names Knative sets itself and rejects in a Service's containers. */
    static final Set<String> KNATIVE_RESERVED_ENV = Set.of("PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION");

    /** Images of containers that are not the Circles application. */
    static final Set<String> THIRD_PARTY_IMAGES = Set.of("redis:7-alpine");

    /**
     * Manifests deliberately left out of the kustomization: the example Secret (applying it would
     * overwrite the real one with placeholders) and the KEDA object (needs KEDA installed).
     */
    static final Set<Path> OPTIONAL_MANIFESTS = Set.of(
            DEPLOY.resolve("knative/secret.example.yaml").normalize(),
            DEPLOY.resolve("worker/keda-scaledobject.yaml").normalize(),
            // need the Prometheus Operator's CRDs (docs/OPERATIONS.md)
            DEPLOY.resolve("monitoring/podmonitor.yaml").normalize(),
            DEPLOY.resolve("monitoring/alerts.yaml").normalize());

    static final String KNATIVE_API = "serving.knative.dev/v1";
    static final String AUTOSCALING_PREFIX = "autoscaling.knative.dev/";
    static final int MIN_WEBSOCKET_TIMEOUT_SECONDS = 600;

    /** One YAML document of one file. */
    record Manifest(Path file, int index, JsonNode doc) {
        String apiVersion() {
            return doc.path("apiVersion").asText("");
        }

        String kind() {
            return doc.path("kind").asText("");
        }

        String name() {
            return doc.path("metadata").path("name").asText("");
        }

        boolean is(String apiVersion, String kind) {
            return apiVersion().equals(apiVersion) && kind().equals(kind);
        }

        String where() {
            return file + " #" + index + " (" + kind() + " " + name() + ")";
        }

        /** The pod spec of a workload, or a missing node. */
        JsonNode podSpec() {
            return switch (kind()) {
                case "Service" -> is(KNATIVE_API, "Service") ? doc.path("spec").path("template").path("spec") : missing();
                case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" ->
                        doc.path("spec").path("template").path("spec");
                case "Pod" -> doc.path("spec");
                default -> missing();
            };
        }

        private static JsonNode missing() {
            return YAML.missingNode();
        }
    }

    /** A container with the manifest it belongs to. */
    record Container(Manifest owner, JsonNode node) {
        String name() {
            return node.path("name").asText("");
        }

        String image() {
            return node.path("image").asText("");
        }

        String where() {
            return owner.where() + " container " + name();
        }

        List<Integer> containerPorts() {
            List<Integer> ports = new ArrayList<>();
            node.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt(-1)));
            return ports;
        }

        /** Resolves a probe port (number or port name) to a number, or -1. */
        int resolvePort(JsonNode port) {
            if (port.isInt()) {
                return port.asInt();
            }
            for (JsonNode p : node.path("ports")) {
                if (p.path("name").asText().equals(port.asText())) {
                    return p.path("containerPort").asInt(-1);
                }
            }
            return -1;
        }
    }

    static final YAMLMapper YAML = new YAMLMapper();

    static List<Manifest> manifests;
    static List<Path> yamlFiles;
    /** Files that did not parse, with the parser's message (reported by the first test). */
    static Map<Path, String> parseErrors;

    @BeforeAll
    static void load() throws IOException {
        assertTrue(Files.isDirectory(DEPLOY),
                "deploy/ not found from working directory " + Path.of("").toAbsolutePath()
                        + " (run the tests from the project root)");
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            yamlFiles = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .map(Path::normalize)
                    .sorted()
                    .toList();
        }
        manifests = new ArrayList<>();
        parseErrors = new TreeMap<>();
        for (Path file : yamlFiles) {
            try {
                manifests.addAll(parse(file));
            } catch (IOException e) {
                parseErrors.put(file, e.getMessage());
            }
        }
    }

    static List<Manifest> parse(Path file) throws IOException {
        List<Manifest> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                index++;
                // A bare `---` or a comment-only document is not a manifest; kubectl skips it too.
                if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
                    continue;
                }
                docs.add(new Manifest(file, index, doc));
            }
        } catch (IOException e) {
            throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        return docs;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void every_yaml_document_parses_and_names_its_api_version_kind_and_name() {
        assertFalse(yamlFiles.isEmpty(), "no YAML files under deploy/");
        List<String> problems = new ArrayList<>(parseErrors.values());
        for (Path file : yamlFiles) {
            if (!parseErrors.containsKey(file) && manifests.stream().noneMatch(m -> m.file().equals(file))) {
                problems.add(file + ": no YAML document in it");
            }
        }
        for (Manifest m : manifests) {
            if (!m.doc().isObject()) {
                problems.add(m.file() + " #" + m.index() + ": not a mapping");
                continue;
            }
            if (m.apiVersion().isBlank()) problems.add(m.where() + ": no apiVersion");
            if (m.kind().isBlank()) problems.add(m.where() + ": no kind");
            if (m.name().isBlank()) problems.add(m.where() + ": no metadata.name");
        }
        assertNoProblems(problems);
    }

    @Test
    void probes_point_at_paths_the_app_serves_on_its_container_port() {
        int port = exposedPort();
        List<String> problems = new ArrayList<>();
        List<Container> app = appContainers();
        assertFalse(app.isEmpty(), "no container runs the application image");
        for (Container c : app) {
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                JsonNode p = c.node().path(probe);
                if (p.isMissingNode()) {
                    problems.add(c.where() + ": no " + probe);
                    continue;
                }
                JsonNode get = p.path("httpGet");
                if (get.isMissingNode()) {
                    problems.add(c.where() + ": " + probe + " is not an httpGet probe of a health path");
                    continue;
                }
                String path = get.path("path").asText("");
                if (!HEALTH_PATHS.contains(path)) {
                    problems.add(c.where() + ": " + probe + " path '" + path + "' is not one the app serves "
                            + HEALTH_PATHS);
                }
                int probePort = c.resolvePort(get.path("port"));
                if (probePort != port || !c.containerPorts().contains(probePort)) {
                    problems.add(c.where() + ": " + probe + " port " + get.path("port")
                            + " is not the container port " + port);
                }
            }
            JsonNode startup = c.node().path("startupProbe").path("httpGet");
            if (!startup.isMissingNode() && !HEALTH_PATHS.contains(startup.path("path").asText())) {
                problems.add(c.where() + ": startupProbe path is not one the app serves");
            }
        }
        // Other containers (Redis): their probes must at least target a port they declare.
        for (Container c : allContainers()) {
            if (app.contains(c)) continue;
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                JsonNode p = c.node().path(probe);
                for (String handler : List.of("httpGet", "tcpSocket")) {
                    JsonNode h = p.path(handler);
                    if (!h.isMissingNode() && !c.containerPorts().contains(c.resolvePort(h.path("port")))) {
                        problems.add(c.where() + ": " + probe + " probes port " + h.path("port")
                                + ", which the container does not declare");
                    }
                }
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void liveness_uses_the_liveness_check_and_readiness_the_readiness_check() {
        // Readiness is DOWN while Redis is unreachable; pointing liveness at it would restart every
        // pod during a Redis outage.
        List<String> problems = new ArrayList<>();
        for (Container c : appContainers()) {
            String live = c.node().path("livenessProbe").path("httpGet").path("path").asText("");
            String ready = c.node().path("readinessProbe").path("httpGet").path("path").asText("");
            if (!live.equals(LIVENESS_PATH)) problems.add(c.where() + ": livenessProbe path is '" + live + "'");
            if (!ready.equals(READINESS_PATH)) problems.add(c.where() + ": readinessProbe path is '" + ready + "'");
        }
        assertNoProblems(problems);
    }

    @Test
    void env_names_are_ones_the_app_reads() {
        Set<String> allowed = allowedEnvNames();
        List<String> problems = new ArrayList<>();
        for (Container c : appContainers()) {
            for (JsonNode e : c.node().path("env")) {
                String name = e.path("name").asText("");
                if (!isAllowedEnv(name, allowed)) {
                    problems.add(c.where() + ": env " + name + " is not a name the app reads");
                }
            }
            for (JsonNode from : c.node().path("envFrom")) {
                if (from.has("prefix")) {
                    problems.add(c.where() + ": envFrom with a prefix renames the variables");
                }
                for (String refKind : List.of("configMapRef", "secretRef")) {
                    JsonNode ref = from.path(refKind);
                    if (ref.isMissingNode()) continue;
                    String kind = refKind.equals("configMapRef") ? "ConfigMap" : "Secret";
                    String name = ref.path("name").asText("");
                    Manifest source = find("v1", kind, name);
                    if (source == null) {
                        problems.add(c.where() + ": envFrom " + kind + " " + name + " is not defined under deploy/");
                        continue;
                    }
                    for (String key : dataKeys(source)) {
                        if (!isAllowedEnv(key, allowed)) {
                            problems.add(source.where() + ": key " + key + " is not a name the app reads");
                        }
                    }
                }
            }
        }
        // Every ConfigMap/Secret under deploy/ that belongs to the app holds only names the app reads.
        for (Manifest m : manifests) {
            if (m.apiVersion().equals("v1") && (m.kind().equals("ConfigMap") || m.kind().equals("Secret"))
                    && isReferencedByApp(m)) {
                for (String key : dataKeys(m)) {
                    if (!isAllowedEnv(key, allowed)) {
                        problems.add(m.where() + ": key " + key + " is not a name the app reads");
                    }
                }
            }
        }
        for (Container c : knativeContainers()) {
            for (JsonNode e : c.node().path("env")) {
                if (KNATIVE_RESERVED_ENV.contains(e.path("name").asText())) {
                    problems.add(c.where() + ": env " + e.path("name").asText() + " is reserved by Knative");
                }
            }
        }
        assertNoProblems(problems.stream().distinct().toList());
    }

    @Test
    void container_ports_match_the_port_the_images_expose() {
        int port = exposedPort();
        List<String> problems = new ArrayList<>();
        for (Container c : appContainers()) {
            List<Integer> ports = c.containerPorts();
            if (!ports.equals(List.of(port))) {
                problems.add(c.where() + ": container ports " + ports + ", the images expose " + port);
            }
        }
        for (Container c : knativeContainers()) {
            String portName = c.node().path("ports").path(0).path("name").asText("");
            if (!portName.equals("http1")) {
                problems.add(c.where() + ": Knative port name is '" + portName
                        + "'; WebSocket upgrades need 'http1'");
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void dockerfiles_run_as_non_root_and_pass_arguments_to_the_application() throws IOException {
        Map<String, List<String>> dockerfiles = dockerfiles();
        assertEquals(Set.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"), dockerfiles.keySet(),
                "Dockerfiles under " + DOCKER_DIR);
        Map<String, String> expectedUser = Map.of(
                "Dockerfile.jvm", "185", "Dockerfile.native", "1001", "Dockerfile.native-micro", "1001");
        List<String> problems = new ArrayList<>();
        dockerfiles.forEach((name, lines) -> {
            List<String> users = instructionArgs(lines, "USER");
            if (users.isEmpty() || !users.get(users.size() - 1).equals(expectedUser.get(name))) {
                problems.add(name + ": last USER is " + users + ", expected " + expectedUser.get(name));
            }
            // The worker Deployment passes `args: ["worker"]`; with an ENTRYPOINT those are appended to
            // the application command instead of replacing it.
            if (instructionArgs(lines, "ENTRYPOINT").isEmpty()) {
                problems.add(name + ": no ENTRYPOINT, so container args would replace the command");
            }
        });
        assertNoProblems(problems);
    }

    @Test
    void dockerignore_lets_in_only_what_the_images_copy() throws IOException {
        Path dockerignore = Path.of(".dockerignore");
        assertTrue(Files.isRegularFile(dockerignore), ".dockerignore missing at the project root");
        List<String> rules = Files.readAllLines(dockerignore).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertFalse(rules.isEmpty(), ".dockerignore has no rules");
        assertEquals("*", rules.get(0), ".dockerignore must start by denying everything");
        List<String> allowed = rules.stream().filter(r -> r.startsWith("!")).map(r -> r.substring(1)).toList();
        List<String> problems = new ArrayList<>();
        for (String allow : allowed) {
            if (!allow.startsWith("target/")) {
                problems.add(".dockerignore lets in " + allow + ", which no image needs");
            }
        }
        List<PathMatcher> matchers = allowed.stream()
                .map(a -> FileSystems.getDefault().getPathMatcher("glob:" + a))
                .toList();
        dockerfiles().forEach((name, lines) -> {
            for (String copy : instructionArgs(lines, "COPY")) {
                List<String> words = new ArrayList<>(List.of(copy.split("\\s+")));
                if (words.stream().anyMatch(w -> w.startsWith("--from"))) continue;
                words.removeIf(w -> w.startsWith("--"));
                for (String source : words.subList(0, words.size() - 1)) {
                    Path src = Path.of(source.replaceAll("/+$", ""));
                    if (matchers.stream().noneMatch(mt -> mt.matches(src))) {
                        problems.add(name + ": COPY " + source + " is not let in by .dockerignore");
                    }
                }
            }
        });
        assertNoProblems(problems);
    }

    @Test
    void knative_service_is_tuned_for_long_lived_websockets() {
        Manifest ksvc = find(KNATIVE_API, "Service", "circles");
        assertTrue(ksvc != null, "no Knative Service 'circles' under deploy/");
        JsonNode template = ksvc.doc().path("spec").path("template");
        JsonNode spec = template.path("spec");
        List<String> problems = new ArrayList<>();

        int cc = spec.path("containerConcurrency").asInt(0);
        if (cc <= 0) problems.add("containerConcurrency must be set to a positive hard limit, is " + cc);

        int timeout = spec.path("timeoutSeconds").asInt(0);
        if (timeout < MIN_WEBSOCKET_TIMEOUT_SECONDS) {
            problems.add("timeoutSeconds " + timeout + " < " + MIN_WEBSOCKET_TIMEOUT_SECONDS
                    + ": WebSockets would be cut short");
        }
        // Knative rejects a response-start or idle timeout above timeoutSeconds; below it they
        // would cut a WebSocket sooner (0 = no idle limit).
        if (spec.has("responseStartTimeoutSeconds")) {
            int rst = spec.path("responseStartTimeoutSeconds").asInt();
            if (rst < MIN_WEBSOCKET_TIMEOUT_SECONDS || rst > timeout) {
                problems.add("responseStartTimeoutSeconds " + rst + " must be between "
                        + MIN_WEBSOCKET_TIMEOUT_SECONDS + " and timeoutSeconds " + timeout);
            }
        }
        if (spec.has("idleTimeoutSeconds")) {
            int idle = spec.path("idleTimeoutSeconds").asInt();
            if (idle != 0 && (idle < MIN_WEBSOCKET_TIMEOUT_SECONDS || idle > timeout)) {
                problems.add("idleTimeoutSeconds " + idle + " must be 0 (no limit) or between "
                        + MIN_WEBSOCKET_TIMEOUT_SECONDS + " and timeoutSeconds " + timeout);
            }
        }

        Map<String, String> ann = new TreeMap<>();
        template.path("metadata").path("annotations").properties()
                .forEach(e -> ann.put(e.getKey(), e.getValue().asText()));
        expectAnnotation(ann, "class", "kpa.autoscaling.knative.dev", problems);
        expectAnnotation(ann, "metric", "concurrency", problems);
        Integer target = intAnnotation(ann, "target", problems);
        Integer min = intAnnotation(ann, "min-scale", problems);
        Integer max = intAnnotation(ann, "max-scale", problems);
        if (target != null && cc > 0 && target > cc) {
            problems.add("autoscaling target " + target + " above containerConcurrency " + cc);
        }
        if (min != null && max != null && max > 0 && min > max) {
            problems.add("min-scale " + min + " above max-scale " + max);
        }
        ksvc.doc().path("metadata").path("annotations").properties().forEach(e -> {
            String k = e.getKey();
            if (k.startsWith(AUTOSCALING_PREFIX)) {
                problems.add("autoscaling annotation " + k + " on the Service itself; Knative wants it "
                        + "under spec.template.metadata.annotations");
            }
        });

        JsonNode containers = spec.path("containers");
        if (containers.size() != 1) problems.add("expected one container, found " + containers.size());
        for (JsonNode c : containers) {
            if (!c.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
                problems.add("container " + c.path("name").asText() + ": securityContext.runAsNonRoot is not true");
            }
            for (String section : List.of("requests", "limits")) {
                if (!c.path("resources").path(section).has("memory")) {
                    problems.add("container " + c.path("name").asText() + ": no resources." + section + ".memory");
                }
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void server_and_workers_run_their_own_roles() {
        List<String> problems = new ArrayList<>();
        List<Container> server = knativeContainers();
        assertFalse(server.isEmpty(), "no Knative Service container");
        for (Container c : server) {
            Map<String, String> env = effectiveEnv(c);
            if (!"false".equals(env.get("CIRCLES_WORKER_ENABLED"))) {
                problems.add(c.where() + ": CIRCLES_WORKER_ENABLED should be false (workers run apart), is "
                        + env.get("CIRCLES_WORKER_ENABLED"));
            }
            if ("false".equals(env.get("CIRCLES_SERVER_ENABLED"))) {
                problems.add(c.where() + ": the Knative Service must run the server role");
            }
        }
        List<Container> workers = appContainers().stream()
                .filter(c -> c.owner().is("apps/v1", "Deployment"))
                .toList();
        assertFalse(workers.isEmpty(), "no worker Deployment running the application image");
        for (Container c : workers) {
            List<String> args = new ArrayList<>();
            c.node().path("args").forEach(a -> args.add(a.asText()));
            if (!args.contains("worker")) {
                problems.add(c.where() + ": args " + args + " do not select the `worker` subcommand");
            }
            Map<String, String> env = effectiveEnv(c);
            if (!"false".equals(env.get("CIRCLES_SERVER_ENABLED"))) {
                problems.add(c.where() + ": CIRCLES_SERVER_ENABLED should be false, is " + env.get("CIRCLES_SERVER_ENABLED"));
            }
            if (!"true".equals(env.get("CIRCLES_WORKER_ENABLED"))) {
                problems.add(c.where() + ": CIRCLES_WORKER_ENABLED should be true, is " + env.get("CIRCLES_WORKER_ENABLED"));
            }
        }
        for (Manifest m : manifests) {
            if (m.kind().equals("ScaledObject")) {
                String target = m.doc().path("spec").path("scaleTargetRef").path("name").asText("");
                if (find("apps/v1", "Deployment", target) == null) {
                    problems.add(m.where() + ": scaleTargetRef " + target + " is not a Deployment under deploy/");
                }
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void kustomization_resources_exist_and_cover_every_manifest_but_the_optional_ones() throws IOException {
        assertTrue(Files.isRegularFile(KUSTOMIZATION), KUSTOMIZATION + " missing");
        Manifest kustomization = parse(KUSTOMIZATION).get(0);
        assertEquals("Kustomization", kustomization.kind());
        assertEquals("circles", kustomization.doc().path("namespace").asText(), "kustomization namespace");
        Set<Path> listed = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode r : kustomization.doc().path("resources")) {
            Path p = DEPLOY.resolve(r.asText()).normalize();
            if (!Files.exists(p)) problems.add("kustomization resource " + r.asText() + " does not exist");
            listed.add(p);
        }
        for (Path file : yamlFiles) {
            if (file.equals(KUSTOMIZATION.normalize())) continue;
            boolean optional = OPTIONAL_MANIFESTS.contains(file);
            if (optional && listed.contains(file)) {
                problems.add(file + " is optional and must stay out of the default kustomization");
            }
            if (!optional && !listed.contains(file)) {
                problems.add(file + " is neither in deploy/kustomization.yaml nor a known optional manifest");
            }
        }
        for (Path optional : OPTIONAL_MANIFESTS) {
            if (!Files.exists(optional)) problems.add("optional manifest " + optional + " missing");
        }
        assertNoProblems(problems);
    }

    @Test
    void images_in_manifests_agree_with_each_other() {
        List<Container> server = knativeContainers();
        assertEquals(1, server.size(), "Knative Service containers");
        String appImage = server.get(0).image();
        assertFalse(appImage.isBlank(), "the Knative Service has no image");
        List<String> problems = new ArrayList<>();
        for (Container c : allContainers()) {
            if (!c.image().equals(appImage) && !THIRD_PARTY_IMAGES.contains(c.image())) {
                problems.add(c.where() + ": image " + c.image() + " is neither the application image "
                        + appImage + " nor a known third-party image " + THIRD_PARTY_IMAGES);
            }
        }
        if (appContainers().stream().noneMatch(c -> c.owner().is("apps/v1", "Deployment"))) {
            problems.add("no Deployment runs the application image " + appImage);
        }
        assertNoProblems(problems);
    }

    // ---------------------------------------------------------------- helpers

    static void assertNoProblems(List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    static Manifest find(String apiVersion, String kind, String name) {
        return manifests.stream()
                .filter(m -> m.is(apiVersion, kind) && m.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    static List<Container> allContainers() {
        List<Container> out = new ArrayList<>();
        for (Manifest m : manifests) {
            JsonNode pod = m.podSpec();
            for (String field : List.of("initContainers", "containers")) {
                pod.path(field).forEach(c -> out.add(new Container(m, c)));
            }
        }
        return out;
    }

    static List<Container> knativeContainers() {
        return allContainers().stream().filter(c -> c.owner().is(KNATIVE_API, "Service")).toList();
    }

    /** Containers running the application: every container that is not a known third-party image. */
    static List<Container> appContainers() {
        return allContainers().stream().filter(c -> !THIRD_PARTY_IMAGES.contains(c.image())).toList();
    }

    static boolean isReferencedByApp(Manifest configOrSecret) {
        String refKind = configOrSecret.kind().equals("ConfigMap") ? "configMapRef" : "secretRef";
        for (Container c : appContainers()) {
            for (JsonNode from : c.node().path("envFrom")) {
                if (from.path(refKind).path("name").asText().equals(configOrSecret.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    static Set<String> dataKeys(Manifest configOrSecret) {
        Set<String> keys = new TreeSet<>();
        for (String field : List.of("data", "stringData", "binaryData")) {
            configOrSecret.doc().path(field).properties().forEach(e -> keys.add(e.getKey()));
        }
        return keys;
    }

    /** The environment a container sees: envFrom sources in order, then env (which wins). */
    static Map<String, String> effectiveEnv(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : c.node().path("envFrom")) {
            JsonNode cm = from.path("configMapRef");
            if (!cm.isMissingNode()) {
                Manifest source = find("v1", "ConfigMap", cm.path("name").asText());
                if (source != null) {
                    source.doc().path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
                }
            }
        }
        for (JsonNode e : c.node().path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : "<valueFrom>");
        }
        return env;
    }

    static boolean isAllowedEnv(String name, Set<String> allowed) {
        return allowed.contains(name) || name.startsWith("QUARKUS_");
    }

    /**
     * Environment names the app reads: see the class Javadoc. application.properties may not exist
     * yet while the app is being written; then only the documented names apply, and this says so.
     */
    static Set<String> allowedEnvNames() {
        Set<String> names = new TreeSet<>(DOCUMENTED_ENV_NAMES);
        if (!Files.isRegularFile(APPLICATION_PROPERTIES)) {
            System.err.println("DeployManifestsTest: " + APPLICATION_PROPERTIES
                    + " not found; env names are checked against the documented names and QUARKUS_* only");
            return names;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(APPLICATION_PROPERTIES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pattern envRef = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!")) continue;
            Matcher m = envRef.matcher(l);
            while (m.find()) names.add(m.group(1));
            int sep = indexOfSeparator(l);
            if (sep > 0) {
                String key = l.substring(0, sep).strip().replaceFirst("^%[^.]+\\.", "");
                names.add(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase());
            }
        }
        return names;
    }

    private static int indexOfSeparator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == '=' || ch == ':') {
                return i;
            }
        }
        return -1;
    }

    static void expectAnnotation(Map<String, String> ann, String key, String expected, List<String> problems) {
        String value = ann.get(AUTOSCALING_PREFIX + key);
        if (!expected.equals(value)) {
            problems.add("annotation " + AUTOSCALING_PREFIX + key + " is " + value + ", expected " + expected);
        }
    }

    static Integer intAnnotation(Map<String, String> ann, String key, List<String> problems) {
        String value = ann.get(AUTOSCALING_PREFIX + key);
        if (value == null) {
            problems.add("annotation " + AUTOSCALING_PREFIX + key + " missing");
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            problems.add("annotation " + AUTOSCALING_PREFIX + key + " is not a whole number: " + value);
            return null;
        }
    }

    /** Dockerfile name to its logical lines (continuations joined, comments dropped). */
    static Map<String, List<String>> dockerfiles() throws IOException {
        assertTrue(Files.isDirectory(DOCKER_DIR), DOCKER_DIR + " missing");
        Map<String, List<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(DOCKER_DIR)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("Dockerfile.")).toList()) {
                List<String> logical = new ArrayList<>();
                StringBuilder current = new StringBuilder();
                for (String raw : Files.readAllLines(f)) {
                    String line = raw.strip();
                    if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) continue;
                    if (line.endsWith("\\")) {
                        current.append(line, 0, line.length() - 1).append(' ');
                        continue;
                    }
                    current.append(line);
                    if (current.length() > 0) logical.add(current.toString().strip());
                    current.setLength(0);
                }
                if (current.length() > 0) logical.add(current.toString().strip());
                out.put(f.getFileName().toString(), logical);
            }
        }
        return out;
    }

    static List<String> instructionArgs(List<String> lines, String instruction) {
        return lines.stream()
                .filter(l -> l.regionMatches(true, 0, instruction + " ", 0, instruction.length() + 1))
                .map(l -> l.substring(instruction.length()).strip())
                .toList();
    }

    /** The single port every Dockerfile exposes. */
    static int exposedPort() {
        Map<String, List<String>> dockerfiles;
        try {
            dockerfiles = dockerfiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(dockerfiles.isEmpty(), "no Dockerfile.* under " + DOCKER_DIR);
        Set<String> exposed = new TreeSet<>();
        dockerfiles.forEach((name, lines) -> {
            List<String> ports = instructionArgs(lines, "EXPOSE").stream()
                    .flatMap(a -> Stream.of(a.split("\\s+")))
                    .map(p -> p.replaceFirst("/tcp$", ""))
                    .toList();
            assertEquals(1, ports.size(), name + " must EXPOSE exactly one port, has " + ports);
            exposed.add(ports.get(0));
        });
        assertEquals(1, exposed.size(), "the Dockerfiles expose different ports: " + exposed);
        return Integer.parseInt(exposed.iterator().next());
    }
}
