package io.ccc.scaler.aws;

import io.ccc.CccException;
import io.ccc.Config;
import io.ccc.spi.Scaler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClientBuilder;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/**
 * {@link Scaler} on an EC2 Auto Scaling group: reads the group, sets its desired capacity, terminates a chosen
 * instance (shrinking the group, or not so it is replaced), and sets scale-in protection on busy workers so
 * the group never picks one of them when it shrinks by itself. Refusals (AccessDenied, …) are clear,
 * non-retryable {@link CccException}s naming the call and the missing permission's message.
 */
public final class AutoScalingGroupScaler implements Scaler {
    private final String group;
    private final AutoScalingClient client;

    public AutoScalingGroupScaler(Settings settings) {
        this.group = settings.group();
        AutoScalingClientBuilder b = AutoScalingClient.builder()
                .region(Region.of(settings.region()))
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)))
                .credentialsProvider(settings.accessKeyId().isPresent()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(), settings.secretAccessKey().orElseThrow()))
                        : DefaultCredentialsProvider.builder().build());
        settings.endpoint().ifPresent(b::endpointOverride);
        this.client = b.build();
    }

    /**
     * @param group    the Auto Scaling group's name ({@code scaler.asg-name}, or the seed's {@code ASG_NAME})
     * @param endpoint an endpoint override (tests, VPC endpoints)
     */
    public record Settings(String group, String region, Optional<URI> endpoint, Optional<String> accessKeyId,
                           Optional<String> secretAccessKey) {
        public static Settings fromConfig(Config c) {
            String group = c.get("scaler.asg-name").or(() -> Optional.ofNullable(System.getenv("ASG_NAME")))
                    .orElseThrow(() -> new CccException("INVALID_CONFIG", "scaler.asg-name (CCC_SCALER_ASG_NAME or ASG_NAME) is not set", false));
            return new Settings(group, c.get("scaler.region").or(() -> Optional.ofNullable(System.getenv("AWS_REGION"))).orElse("us-east-1"),
                    c.get("scaler.endpoint").map(URI::create), c.get("scaler.access-key-id"), c.get("scaler.secret-access-key"));
        }
    }

    @Override
    public Fleet fleet() {
        AutoScalingGroup g = call("DescribeAutoScalingGroups", () -> client.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)))
                .autoScalingGroups().stream().findFirst()
                .orElseThrow(() -> new CccException("SCALER_ERROR", "Auto Scaling group " + group + " does not exist", false));
        List<Instance> instances = g.instances().stream()
                .filter(i -> !String.valueOf(i.lifecycleStateAsString()).startsWith("Terminat"))
                .map(i -> new Instance(i.instanceId(), "Healthy".equalsIgnoreCase(i.healthStatus()),
                        Boolean.TRUE.equals(i.protectedFromScaleIn()), null))
                .toList();
        return new Fleet(g.desiredCapacity(), g.minSize(), g.maxSize(), instances);
    }

    @Override
    public void setDesiredCapacity(int desired) {
        call("SetDesiredCapacity", () -> client.setDesiredCapacity(r -> r.autoScalingGroupName(group).desiredCapacity(desired).honorCooldown(false)));
    }

    @Override
    public void terminate(String instanceId, boolean decrement) {
        call("TerminateInstanceInAutoScalingGroup", () -> client.terminateInstanceInAutoScalingGroup(r -> r.instanceId(instanceId)
                .shouldDecrementDesiredCapacity(decrement)));
    }

    @Override
    public void protect(String instanceId, boolean busy) {
        call("SetInstanceProtection", () -> client.setInstanceProtection(r -> r.autoScalingGroupName(group).instanceIds(instanceId)
                .protectedFromScaleIn(busy)));
    }

    @Override
    public void close() {
        client.close();
    }

    private static <T> T call(String action, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (AutoScalingException e) {
            String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : String.valueOf(e.statusCode());
            String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage();
            boolean denied = e.statusCode() == 403 || "AccessDenied".equals(code) || "UnauthorizedOperation".equals(code);
            return throwIt(new CccException(denied ? "SCALER_DENIED" : "SCALER_ERROR",
                    "autoscaling:" + action + " refused (" + code + "): " + message, !denied && (e.statusCode() >= 500 || e.isThrottlingException()), e));
        } catch (SdkException e) {
            return throwIt(new CccException("SCALER_ERROR", "autoscaling:" + action + " failed: " + e.getMessage(), true, e));
        }
    }

    private static <T> T throwIt(CccException e) {
        throw e;
    }
}
