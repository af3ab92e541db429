using System.Net;
using CryptoCache.Infrastructure.Redis;
using CryptoCache.Tests.Support;
using k8s;
using k8s.Models;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// deploy/k8s/overlays/ha as <c>kubectl kustomize</c> renders it (offline), loaded strictly and cross-checked: the
/// base's API with Redis under Sentinel in place of the base's single Redis. Skipped, visibly, where kubectl is absent.
/// </summary>
[TestFixture]
public sealed class HaOverlayTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private K8sManifests _ha = null!;
    private string _text = null!;

    private V1StatefulSet Redis => _ha.Named<V1StatefulSet>("redis");

    private V1PodSpec RedisPod => Redis.Spec.Template.Spec;

    private V1Container RedisContainer => RedisPod.Containers.Single(c => c.Name == "redis");

    private V1Container SentinelContainer => RedisPod.Containers.Single(c => c.Name == "sentinel");

    private V1ConfigMap Scripts => _ha.All<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith("redis-ha-scripts", StringComparison.Ordinal));

    private Dictionary<string, string> Config => new(_ha.Named<V1ConfigMap>("crypto-config").Data);

    private IEnumerable<(string Owner, V1PodSpec Spec, IDictionary<string, string> Labels)> PodSpecs =>
        _ha.All<V1Deployment>().Select(d => ($"Deployment/{d.Metadata.Name}", d.Spec.Template.Spec, d.Spec.Template.Metadata.Labels))
            .Concat(_ha.All<V1StatefulSet>().Select(s => ($"StatefulSet/{s.Metadata.Name}", s.Spec.Template.Spec, s.Spec.Template.Metadata.Labels)));

    [OneTimeSetUp]
    public async Task RenderAsync()
    {
        var kubectl = Tool.Find("kubectl", "/usr/bin/kubectl");
        if (kubectl is null)
        {
            Assert.Ignore("kubectl is not installed (looked on PATH and at /usr/bin/kubectl), so 'kubectl kustomize deploy/k8s/overlays/ha' was not rendered here. "
                          + "Its files still load strictly in ManifestTests.");
        }

        var result = await Tool.RunAsync(kubectl!, ["kustomize", DeployPaths.K8sHa], RepoPaths.Root, Timeout);
        Assert.That(result.ExitCode, Is.Zero, $"kubectl kustomize deploy/k8s/overlays/ha: {result}");
        _text = result.Output;
        _ha = K8sManifests.LoadRendered(result.Output, "kubectl kustomize deploy/k8s/overlays/ha");
    }

    [Test]
    public void Objects_AreTheBasesApiWithRedisUnderSentinelInsteadOfTheSingleRedis()
    {
        var objects = _ha.Resources.Select(r => (IKubernetesObject<V1ObjectMeta>)r.Resource).Select(o => $"{o.Kind}/{o.Metadata.Name}").ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(objects, Is.EquivalentTo(new[]
            {
                "ConfigMap/crypto-config", "Secret/crypto-secrets", "Deployment/crypto-api", "Service/crypto-api", "PodDisruptionBudget/crypto-api",
                "HorizontalPodAutoscaler/crypto-api", "StatefulSet/redis", "Service/redis-headless", "PodDisruptionBudget/redis",
                "NetworkPolicy/redis-ha-from-api-and-peers", $"ConfigMap/{Scripts.Metadata.Name}",
            }), "no Deployment/redis, Service/redis, PersistentVolume, claim redis-pvc or single-Redis NetworkPolicy");
            foreach (var (_, resource) in _ha.Resources)
            {
                var meta = ((IKubernetesObject<V1ObjectMeta>)resource).Metadata;
                Assert.That(meta.Labels, Does.ContainKey("app.kubernetes.io/part-of"), meta.Name);
            }
        }
    }

    [Test]
    public void Workloads_Selector_MatchesPodTemplateLabels()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var deployment in _ha.All<V1Deployment>())
            {
                Assert.That(deployment.Spec.Template.Metadata.Labels, Is.SupersetOf(deployment.Spec.Selector.MatchLabels), deployment.Metadata.Name);
            }

            Assert.That(Redis.Spec.Selector.MatchLabels, Is.Not.Empty);
            Assert.That(Redis.Spec.Template.Metadata.Labels, Is.SupersetOf(Redis.Spec.Selector.MatchLabels), "StatefulSet/redis");
        }
    }

    [Test]
    public void Services_SelectOneWorkload_AndTargetItsContainerPorts()
    {
        foreach (var service in _ha.All<V1Service>())
        {
            var selected = PodSpecs.Where(p => K8sManifests.Selects(service.Spec.Selector, p.Labels)).ToList();
            Assert.That(selected, Has.Count.EqualTo(1), $"Service {service.Metadata.Name} selects the pods of exactly one workload");
            var ports = selected[0].Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
            foreach (var port in service.Spec.Ports)
            {
                Assert.That(K8sManifests.ContainerPort(ports, port.TargetPort), Is.Not.Null,
                    $"Service {service.Metadata.Name} port {port.Port} → targetPort {port.TargetPort?.Value} is a container port of {selected[0].Owner}");
            }
        }
    }

    [Test]
    public void StatefulSet_ServiceName_IsTheHeadlessServiceOfItsPods()
    {
        var headless = _ha.Named<V1Service>(Redis.Spec.ServiceName);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(headless.Spec.ClusterIP, Is.EqualTo("None"), "headless: one DNS name per pod");
            Assert.That(headless.Spec.PublishNotReadyAddresses, Is.True, "starting pods resolve each other before any is ready");
            Assert.That(K8sManifests.Selects(headless.Spec.Selector, Redis.Spec.Template.Metadata.Labels), Is.True);
            Assert.That(headless.Spec.Ports.Select(p => (p.Name, p.Port)), Is.EquivalentTo(new[] { ("redis", 6379), ("sentinel", 26379) }));
            Assert.That(Redis.Spec.Replicas, Is.EqualTo(3));
            Assert.That(Env(RedisPod.InitContainers.Single(), "HEADLESS_SERVICE"), Is.EqualTo(Redis.Spec.ServiceName), "the init script names pods after this Service");
            Assert.That(Env(RedisPod.InitContainers.Single(), "REPLICAS"), Is.EqualTo("3"), "the init script asks every other pod's sentinel");
        }
    }

    [Test]
    public void ApiConnectionString_NamesEverySentinelOfTheHeadlessService_AndTheMonitoredMaster()
    {
        var config = Config;
        var sentinelPort = SentinelContainer.Ports.Single(p => p.Name == "sentinel").ContainerPort;
        var replicas = Redis.Spec.Replicas ?? 1;
        var expected = Enumerable.Range(0, replicas).Select(i => new DnsEndPoint($"{Redis.Metadata.Name}-{i}.{Redis.Spec.ServiceName}", sentinelPort)).ToArray();
        var masterName = Env(RedisPod.InitContainers.Single(), "MASTER_NAME");
        var script = Scripts.Data["redis-init.sh"];

        Assert.That(config, Does.ContainKey("Redis__ConnectionString"));
        Assert.That(RedisConnectionString.TryParse(config["Redis__ConnectionString"], out var options), Is.True, "the app accepts it (validated at start)");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config, Does.Not.ContainKey("REDIS_URL"), "REDIS_URL would win over Redis__ConnectionString");
            Assert.That(options.EndPoints, Is.EquivalentTo(expected), "every sentinel, by its pod's stable name");
            Assert.That(options.ServiceName, Is.EqualTo(masterName), "the master the sentinels monitor");
            Assert.That(options.Password, Is.Null, "no password in the ConfigMap");
            Assert.That(script, Does.Contain("sentinel monitor $MASTER_NAME $master 6379 $QUORUM"));
            Assert.That(script, Does.Contain($"port {sentinelPort}"));
            Assert.That(ConfigurationKeys.KeyOf("Redis__ConnectionString"), Is.Not.Null, "a key the app reads");
            Assert.That(_ha.Named<V1Deployment>("crypto-api").Spec.Template.Spec.Containers.Single().EnvFrom.Select(e => e.SecretRef?.Name), Does.Contain("crypto-secrets"),
                "Redis__Password reaches the API from the Secret");
        }
    }

    [Test]
    public void RedisPods_Password_ComesFromTheSecretForRedisMasterauthAndSentinel()
    {
        var secret = _ha.Named<V1Secret>("crypto-secrets");
        var script = Scripts.Data["redis-init.sh"];
        var references = PodSpecs.SelectMany(p => p.Spec.Containers.Concat(p.Spec.InitContainers ?? []))
            .SelectMany(c => c.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(references, Is.Not.Empty);
            foreach (var reference in references)
            {
                Assert.That(reference.Name, Is.EqualTo(secret.Metadata.Name));
                Assert.That(secret.StringData.Keys, Does.Contain(reference.Key), $"secret key {reference.Key} exists");
            }

            foreach (var container in RedisPod.Containers.Concat(RedisPod.InitContainers))
            {
                Assert.That(Env(container, "REDISCLI_AUTH", secret: true), Is.EqualTo("Redis__Password"), $"{container.Name}: redis-cli authenticates");
            }

            Assert.That(Env(RedisPod.InitContainers.Single(), "REDIS_PASSWORD", secret: true), Is.EqualTo("Redis__Password"));
            foreach (var line in new[] { "requirepass \"$password\"", "masterauth \"$password\"", "sentinel auth-pass $MASTER_NAME \"$password\"", "sentinel sentinel-pass \"$password\"" })
            {
                Assert.That(script, Does.Contain(line));
            }
        }
    }

    [Test]
    public void RedisPods_ConfigWrittenAtStartByTheScript_AndUsedByRedisAndSentinel()
    {
        var init = RedisPod.InitContainers.Single();
        var scriptsVolume = RedisPod.Volumes.Single(v => v.ConfigMap is not null);
        var configVolume = RedisPod.Volumes.Single(v => v.Name == "config");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scriptsVolume.ConfigMap.Name, Is.EqualTo(Scripts.Metadata.Name), "the generated ConfigMap, hash suffix included");
            Assert.That(Scripts.Data["redis-init.sh"], Is.EqualTo(File.ReadAllText(Path.Combine(DeployPaths.K8sHa, "redis-init.sh"))));
            Assert.That(init.Command, Is.EqualTo(new[] { "sh", "/scripts/redis-init.sh" }));
            Assert.That(init.VolumeMounts.Single(m => m.Name == scriptsVolume.Name).MountPath, Is.EqualTo("/scripts"));
            Assert.That(configVolume.EmptyDir, Is.Not.Null, "writable: Sentinel rewrites its file");
            Assert.That(RedisContainer.Command, Is.EqualTo(new[] { "redis-server", "/config/redis.conf" }));
            Assert.That(SentinelContainer.Command, Is.EqualTo(new[] { "redis-server", "/config/sentinel.conf", "--sentinel" }));
            foreach (var container in new[] { init, RedisContainer, SentinelContainer })
            {
                Assert.That(container.VolumeMounts.Single(m => m.Name == "config").MountPath, Is.EqualTo("/config"), container.Name);
            }
        }
    }

    [Test]
    public void RedisPods_DataOnAClaimPerPod_SpreadOverNodes_AndProbed()
    {
        var template = Redis.Spec.VolumeClaimTemplates.Single();
        var affinity = RedisPod.Affinity.PodAntiAffinity;
        var terms = (affinity.PreferredDuringSchedulingIgnoredDuringExecution?.Select(t => t.PodAffinityTerm) ?? [])
            .Concat(affinity.RequiredDuringSchedulingIgnoredDuringExecution ?? []).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(RedisContainer.VolumeMounts.Single(m => m.MountPath == "/data").Name, Is.EqualTo(template.Metadata.Name));
            Assert.That(RedisPod.Volumes.Select(v => v.Name), Does.Not.Contain(template.Metadata.Name), "the claim template, not a shared volume");
            Assert.That(template.Spec.AccessModes, Is.EqualTo(new[] { "ReadWriteOnce" }));
            Assert.That(template.Spec.Resources.Requests["storage"].ToDecimal(), Is.GreaterThan(0));
            Assert.That(RedisPod.SecurityContext.FsGroup, Is.EqualTo(RedisPod.SecurityContext.RunAsGroup), "the provisioned volume is handed to Redis's group");
            Assert.That(terms, Is.Not.Empty);
            Assert.That(terms.Select(t => t.TopologyKey), Has.All.EqualTo("kubernetes.io/hostname"));
            Assert.That(terms.All(t => K8sManifests.Selects(t.LabelSelector.MatchLabels, Redis.Spec.Template.Metadata.Labels)), Is.True, "keeps Redis pods apart from each other");
            foreach (var container in RedisPod.Containers)
            {
                Assert.That(container.LivenessProbe?.Exec?.Command, Is.Not.Empty, $"{container.Name}: liveness");
                Assert.That(container.ReadinessProbe?.Exec?.Command, Is.Not.Empty, $"{container.Name}: readiness");
                Assert.That(container.StartupProbe?.TcpSocket?.Port?.Value, Is.EqualTo(container.Ports.Single().Name), $"{container.Name}: startup on its own port");
            }

            Assert.That(string.Join(' ', SentinelContainer.ReadinessProbe!.Exec.Command), Does.Contain("-p 26379"), "the sentinel probe asks the sentinel");
        }
    }

    [Test]
    public void RedisPodDisruptionBudget_KeepsTwoOfTheThreeRedisPods()
    {
        var pdb = _ha.Named<V1PodDisruptionBudget>("redis").Spec;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pdb.MinAvailable.Value, Is.EqualTo("2"));
            Assert.That(K8sManifests.Selects(pdb.Selector.MatchLabels, Redis.Spec.Template.Metadata.Labels), Is.True, "selects the Redis pods");
            Assert.That(K8sManifests.Selects(pdb.Selector.MatchLabels, _ha.Named<V1Deployment>("crypto-api").Spec.Template.Metadata.Labels), Is.False);
            Assert.That(Redis.Spec.Replicas, Is.GreaterThan(2), "a drain can still move one pod");
        }
    }

    [Test]
    public void Images_AreTheOfficialRedisImage_NeverBitnami()
    {
        var images = Kustomization.Load(DeployPaths.K8sImages).Images.ToDictionary(i => i.Name);

        using (Assert.EnterMultipleScope())
        {
            foreach (var container in RedisPod.Containers.Concat(RedisPod.InitContainers))
            {
                Assert.That(container.Image, Is.EqualTo(images["redis"].Rendered("redis")), $"{container.Name}: Docker Hub's official redis, tag from the images component");
                Assert.That(container.Image, Does.Match("^redis:[0-9]"), container.Name);
            }

            Assert.That(_ha.Named<V1Deployment>("crypto-api").Spec.Template.Spec.Containers.Single().Image, Is.EqualTo(images["cryptocache-api"].Rendered("cryptocache-api")));
            Assert.That(_text, Does.Not.Contain("bitnami").IgnoreCase);
        }
    }

    [Test]
    public void Pods_SecurityContext_IsPodSecurityRestricted_WithResources()
    {
        foreach (var (owner, spec, _) in PodSpecs)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(spec.SecurityContext?.RunAsNonRoot, Is.True, $"{owner}: pod runAsNonRoot");
                Assert.That(spec.SecurityContext?.RunAsUser, Is.Not.Null.And.Not.Zero, $"{owner}: pod runAsUser");
                Assert.That(spec.SecurityContext?.SeccompProfile?.Type, Is.EqualTo("RuntimeDefault"), $"{owner}: seccomp");
                Assert.That(spec.AutomountServiceAccountToken, Is.False, owner);
                Assert.That(spec.Volumes?.Where(v => v.HostPath is not null) ?? [], Is.Empty, owner);
            }

            foreach (var container in spec.Containers.Concat(spec.InitContainers ?? []))
            {
                var context = container.SecurityContext;
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(context?.AllowPrivilegeEscalation, Is.False, $"{owner}/{container.Name}: allowPrivilegeEscalation");
                    Assert.That(context?.ReadOnlyRootFilesystem, Is.True, $"{owner}/{container.Name}: readOnlyRootFilesystem");
                    Assert.That(context?.Capabilities?.Drop, Is.EqualTo(new[] { "ALL" }), $"{owner}/{container.Name}: capabilities.drop");
                    Assert.That(context?.Capabilities?.Add ?? [], Is.Empty, $"{owner}/{container.Name}: no capability added, no root step");
                    Assert.That(context?.RunAsUser ?? spec.SecurityContext?.RunAsUser, Is.Not.Zero, $"{owner}/{container.Name}: never root");
                    Assert.That(context?.RunAsNonRoot ?? spec.SecurityContext?.RunAsNonRoot, Is.True, $"{owner}/{container.Name}: runAsNonRoot");
                    foreach (var resource in new[] { "cpu", "memory" })
                    {
                        Assert.That(container.Resources?.Requests?.ContainsKey(resource), Is.True, $"{owner}/{container.Name}: requests.{resource}");
                        Assert.That(container.Resources?.Limits?.ContainsKey(resource), Is.True, $"{owner}/{container.Name}: limits.{resource}");
                    }
                }
            }
        }
    }

    [Test]
    public void NetworkPolicy_AdmitsTheApiAndTheRedisPodsOnRedisAndSentinelPorts()
    {
        var policy = _ha.All<V1NetworkPolicy>().Single().Spec;
        var rule = policy.Ingress.Single();
        var api = _ha.Named<V1Deployment>("crypto-api").Spec.Template.Metadata.Labels;
        var redis = Redis.Spec.Template.Metadata.Labels;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(K8sManifests.Selects(policy.PodSelector.MatchLabels, redis), Is.True, "guards the Redis pods");
            Assert.That(rule.FromProperty.Select(p => p.PodSelector.MatchLabels).Count(s => K8sManifests.Selects(s, api)), Is.EqualTo(1), "admits the API");
            Assert.That(rule.FromProperty.Select(p => p.PodSelector.MatchLabels).Count(s => K8sManifests.Selects(s, redis)), Is.EqualTo(1), "admits replication and sentinels");
            Assert.That(rule.FromProperty.Select(p => (p.NamespaceSelector, p.IpBlock)), Has.All.EqualTo((default(V1LabelSelector), default(V1IPBlock))));
            Assert.That(rule.Ports.Select(p => p.Port.Value), Is.EquivalentTo(new[] { "6379", "26379" }));
        }
    }

    private static string? Env(V1Container container, string name, bool secret = false)
    {
        var variable = container.Env?.SingleOrDefault(e => e.Name == name);
        return secret ? variable?.ValueFrom?.SecretKeyRef?.Key : variable?.Value;
    }
}
