using k8s;
using k8s.Models;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// The Kubernetes manifests, read offline with the client library's strict loader, and checked against each other:
/// selectors, ports, volumes, images, the configuration keys the app reads, and Pod Security "restricted".
/// </summary>
[TestFixture]
public sealed class ManifestTests
{
    private const string ApiName = "crypto-api";
    private K8sManifests _k8s = null!;
    private K8sManifests _debug = null!;

    private static IEnumerable<TestCaseData> ManifestFiles() =>
        K8sManifests.ManifestFiles(DeployPaths.K8sBase).Concat(K8sManifests.ManifestFiles(DeployPaths.K8sDebug)).Concat(K8sManifests.ManifestFiles(DeployPaths.K8sHa))
            .Select(f => new TestCaseData(Path.GetRelativePath(DeployPaths.Root, f)).SetArgDisplayNames(Path.GetRelativePath(DeployPaths.Root, f)));

    [OneTimeSetUp]
    public void Load()
    {
        _k8s = K8sManifests.LoadFolder(DeployPaths.K8sBase);
        _debug = K8sManifests.LoadFolder(DeployPaths.K8sDebug);
    }

    private V1Deployment Api => _k8s.Named<V1Deployment>(ApiName);

    private V1Container ApiContainer => Api.Spec.Template.Spec.Containers.Single();

    private V1Deployment Redis => _k8s.Named<V1Deployment>("redis");

    private V1Container RedisContainer => Redis.Spec.Template.Spec.Containers.Single();

    private IEnumerable<(string Owner, V1PodSpec Spec, IDictionary<string, string> Labels)> PodSpecs =>
        _k8s.All<V1Deployment>().Select(d => ($"Deployment/{d.Metadata.Name}", d.Spec.Template.Spec, d.Spec.Template.Metadata.Labels))
            .Concat(_debug.All<V1Pod>().Select(p => ($"Pod/{p.Metadata.Name}", p.Spec, p.Metadata.Labels)));

    [TestCaseSource(nameof(ManifestFiles))]
    public void ManifestFile_StrictLoad_GivesNamedObjectsOfKnownKinds(string relativePath)
    {
        var objects = K8sManifests.LoadRendered(File.ReadAllText(Path.Combine(DeployPaths.Root, relativePath)), relativePath).Resources;

        Assert.That(objects, Is.Not.Empty, relativePath);
        foreach (var (_, resource) in objects)
        {
            var typed = (IKubernetesObject<V1ObjectMeta>)resource;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(typed.ApiVersion, Is.Not.Empty, relativePath);
                Assert.That(typed.Kind, Is.Not.Empty, relativePath);
                Assert.That(typed.Metadata?.Name, Is.Not.Empty, $"{relativePath}: {typed.Kind} without metadata.name");
                Assert.That(typed.Metadata?.NamespaceProperty, Is.Null, $"{relativePath}: the namespace is kustomize's to set");
            }
        }
    }

    [Test]
    public void Kustomizations_Resources_AreExactlyTheManifestsOfTheirFolder()
    {
        var top = Kustomization.Load(Path.Combine(DeployPaths.K8s, "kustomization.yaml"));
        var main = Kustomization.Load(Path.Combine(DeployPaths.K8sBase, "kustomization.yaml"));
        var debug = Kustomization.Load(Path.Combine(DeployPaths.K8sDebug, "kustomization.yaml"));
        var ha = Kustomization.Load(Path.Combine(DeployPaths.K8sHa, "kustomization.yaml"));
        var images = Kustomization.Load(DeployPaths.K8sImages);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(top.Resources, Is.EqualTo(new[] { "base" }), "kubectl apply -k deploy/k8s applies the base");
            Assert.That(K8sManifests.ManifestFiles(DeployPaths.K8s), Is.Empty, "the manifests live in base/");
            Assert.That(main.Resources, Is.EquivalentTo(K8sManifests.ManifestFiles(DeployPaths.K8sBase).Select(Path.GetFileName)), "deploy/k8s/base");
            Assert.That(debug.Resources, Is.EquivalentTo(K8sManifests.ManifestFiles(DeployPaths.K8sDebug).Select(Path.GetFileName)), "deploy/k8s/debug");
            Assert.That(main.Resources.Concat(main.Components), Has.None.Contains("debug"), "the curltest Pod is opt-in");
            Assert.That(main.Components, Is.EqualTo(new[] { "../images" }));
            Assert.That(debug.Components, Is.EqualTo(new[] { "../images" }));
            Assert.That(ha.Resources, Is.EquivalentTo(new[] { "../../base" }.Concat(K8sManifests.ManifestFiles(DeployPaths.K8sHa).Select(Path.GetFileName))), "deploy/k8s/overlays/ha");
            Assert.That(ha.Components, Is.EqualTo(new[] { "../../images" }), "the overlay's own objects get the same images");
            Assert.That(images.Kind, Is.EqualTo("Component"));
        }
    }

    [Test]
    public void Deployments_Selector_MatchesPodTemplateLabels()
    {
        foreach (var deployment in _k8s.All<V1Deployment>())
        {
            var selector = deployment.Spec.Selector.MatchLabels;
            Assert.That(selector, Is.Not.Empty, deployment.Metadata.Name);
            Assert.That(deployment.Spec.Template.Metadata.Labels, Is.SupersetOf(selector), $"{deployment.Metadata.Name}: template labels include the selector");
        }
    }

    [Test]
    public void Services_SelectorAndTargetPort_MatchOneDeploymentsContainerPort()
    {
        var services = _k8s.All<V1Service>().ToList();
        Assert.That(services.Select(s => s.Metadata.Name), Is.EquivalentTo(new[] { ApiName, "redis" }));

        foreach (var service in services)
        {
            var selected = _k8s.All<V1Deployment>().Where(d => K8sManifests.Selects(service.Spec.Selector, d.Spec.Template.Metadata.Labels)).ToList();
            Assert.That(selected, Has.Count.EqualTo(1), $"Service {service.Metadata.Name} selects the pods of exactly one Deployment");
            var ports = selected[0].Spec.Template.Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
            foreach (var port in service.Spec.Ports)
            {
                Assert.That(K8sManifests.ContainerPort(ports, port.TargetPort), Is.Not.Null,
                    $"Service {service.Metadata.Name} port {port.Port} → targetPort {port.TargetPort?.Value} is a container port of {selected[0].Metadata.Name}");
            }
        }
    }

    [Test]
    public void ApiService_Port80_ReachesContainerPort8000ByName()
    {
        var port = _k8s.Named<V1Service>(ApiName).Spec.Ports.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(port.Port, Is.EqualTo(80), "http://crypto-api/ in the cluster");
            Assert.That(port.TargetPort.Value, Is.EqualTo("http"), "a named port");
            Assert.That(K8sManifests.ContainerPort(ApiContainer.Ports, port.TargetPort)?.ContainerPort, Is.EqualTo(8000));
        }
    }

    [Test]
    public void ApiDeployment_Rollout_KeepsThreeReplicasServing()
    {
        var spec = Api.Spec;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Replicas, Is.GreaterThanOrEqualTo(3));
            Assert.That(spec.Strategy.Type, Is.EqualTo("RollingUpdate"));
            Assert.That(spec.Strategy.RollingUpdate.MaxUnavailable.Value, Is.EqualTo("0"));
            Assert.That(spec.Strategy.RollingUpdate.MaxSurge.Value, Is.EqualTo("1"));
            Assert.That(spec.Template.Spec.TopologySpreadConstraints.Select(t => t.TopologyKey), Does.Contain("kubernetes.io/hostname"));
            Assert.That(spec.Template.Spec.TopologySpreadConstraints.All(t => K8sManifests.Selects(t.LabelSelector.MatchLabels, spec.Template.Metadata.Labels)), Is.True,
                "spread constraints count the API's own pods");
        }
    }

    [Test]
    public void ApiContainer_PortsProbesAndResources_AreDeclared()
    {
        var container = ApiContainer;
        var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(container.Image, Is.Not.Empty);
            Assert.That(ports, Is.EquivalentTo(new Dictionary<string, int> { ["http"] = 8000, ["management"] = 9090 }));
            Assert.That((container.StartupProbe?.HttpGet?.Path, container.StartupProbe?.HttpGet?.Port.Value), Is.EqualTo(("/health", "http")));
            Assert.That((container.LivenessProbe?.HttpGet?.Path, container.LivenessProbe?.HttpGet?.Port.Value), Is.EqualTo(("/health", "http")));
            Assert.That((container.ReadinessProbe?.HttpGet?.Path, container.ReadinessProbe?.HttpGet?.Port.Value), Is.EqualTo(("/health/ready", "management")));
            AssertRequestsAndLimits(container, "crypto-api");
            Assert.That(container.EnvFrom.Select(e => e.ConfigMapRef?.Name ?? e.SecretRef?.Name), Is.EquivalentTo(new[] { "crypto-config", "crypto-secrets" }));
        }
    }

    [Test]
    public void ApiPods_PrometheusAnnotations_PointAtTheManagementPort()
    {
        var annotations = Api.Spec.Template.Metadata.Annotations;
        var configMap = _k8s.Named<V1ConfigMap>("crypto-config").Data;
        var management = ApiContainer.Ports.Single(p => p.Name == "management").ContainerPort;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(annotations["prometheus.io/scrape"], Is.EqualTo("true"));
            Assert.That(annotations["prometheus.io/path"], Is.EqualTo("/metrics"));
            Assert.That(annotations["prometheus.io/port"], Is.EqualTo(management.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(configMap["Management__Port"], Is.EqualTo(annotations["prometheus.io/port"]), "the app listens where the pod declares it");
        }
    }

    [Test]
    public void Pods_SecurityContext_IsPodSecurityRestricted()
    {
        foreach (var (owner, spec, _) in PodSpecs)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(spec.SecurityContext?.RunAsNonRoot, Is.True, $"{owner}: pod runAsNonRoot");
                Assert.That(spec.SecurityContext?.RunAsUser, Is.Not.Null.And.Not.Zero, $"{owner}: pod runAsUser");
                Assert.That(spec.SecurityContext?.SeccompProfile?.Type, Is.EqualTo("RuntimeDefault"), $"{owner}: seccomp");
                Assert.That(spec.AutomountServiceAccountToken, Is.False, $"{owner}: no API token, it never talks to Kubernetes");
                Assert.That(spec.HostNetwork ?? false, Is.False, owner);
                Assert.That(spec.Volumes?.Where(v => v.HostPath is not null) ?? [], Is.Empty, $"{owner}: hostPath only through a PersistentVolume");
            }

            foreach (var container in spec.Containers.Concat(spec.InitContainers ?? []))
            {
                if (IsRedisDataOwner(owner, container))
                {
                    continue; // the documented exception, checked on its own below
                }

                var context = container.SecurityContext;
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(context?.AllowPrivilegeEscalation, Is.False, $"{owner}/{container.Name}: allowPrivilegeEscalation");
                    Assert.That(context?.ReadOnlyRootFilesystem, Is.True, $"{owner}/{container.Name}: readOnlyRootFilesystem");
                    Assert.That(context?.Capabilities?.Drop, Is.EqualTo(new[] { "ALL" }), $"{owner}/{container.Name}: capabilities.drop");
                    Assert.That(context?.Capabilities?.Add ?? [], Is.Empty, $"{owner}/{container.Name}: capabilities.add");
                    Assert.That(context?.RunAsUser ?? spec.SecurityContext?.RunAsUser, Is.Not.Zero, $"{owner}/{container.Name}: never root");
                    Assert.That(context?.RunAsNonRoot ?? spec.SecurityContext?.RunAsNonRoot, Is.True, $"{owner}/{container.Name}: runAsNonRoot");
                    Assert.That(context?.Privileged ?? false, Is.False, $"{owner}/{container.Name}: privileged");
                }
            }
        }
    }

    [Test]
    public void ApiPods_RunAsTheAspnetAppUser_WithAWritableTmpOnly()
    {
        var spec = Api.Spec.Template.Spec;
        var tmp = ApiContainer.VolumeMounts.Single(m => m.MountPath == "/tmp");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.SecurityContext.RunAsUser, Is.EqualTo(1654), "the aspnet image's app user");
            Assert.That(spec.Volumes.Single(v => v.Name == tmp.Name).EmptyDir, Is.Not.Null, "/tmp is an emptyDir");
            Assert.That(ApiContainer.VolumeMounts, Has.Count.EqualTo(1), "nothing else is writable");
        }
    }

    [Test]
    public void RedisDataOwner_IsTheOnlyRootStep_AndCanOnlyChownTheDataVolume()
    {
        var init = Redis.Spec.Template.Spec.InitContainers.Single();
        var context = init.SecurityContext;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(init.Name, Is.EqualTo("data-owner"));
            Assert.That(init.Command, Is.EqualTo(new[] { "chown", "999:1000", "/data" }));
            Assert.That((Redis.Spec.Template.Spec.SecurityContext.RunAsUser, Redis.Spec.Template.Spec.SecurityContext.RunAsGroup), Is.EqualTo((999L, 1000L)),
                "Redis runs as the user the directory is handed to");
            Assert.That(context.Capabilities.Drop, Is.EqualTo(new[] { "ALL" }));
            Assert.That(context.Capabilities.Add, Is.EqualTo(new[] { "CHOWN" }));
            Assert.That(context.AllowPrivilegeEscalation, Is.False);
            Assert.That(context.ReadOnlyRootFilesystem, Is.True);
            Assert.That(init.VolumeMounts.Select(m => (m.Name, m.MountPath)), Is.EqualTo(new[] { ("data", "/data") }));
        }
    }

    [Test]
    public void ConfigMapAndSecret_EveryKey_IsAConfigurationKeyTheAppReads()
    {
        var keys = _k8s.Named<V1ConfigMap>("crypto-config").Data.Keys
            .Concat(_k8s.Named<V1Secret>("crypto-secrets").StringData.Keys)
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ConfigurationKeys.OptionKeys, Has.Count.GreaterThan(20), "reflection finds the options classes");
            Assert.That(ConfigurationKeys.SeedNames.Values, Is.SubsetOf(ConfigurationKeys.OptionKeys), "every seed name maps onto an options property");
            foreach (var key in keys)
            {
                Assert.That(ConfigurationKeys.KeyOf(key), Is.Not.Null,
                    $"'{key}' is neither a seed name, nor Section__Key of an options property, nor an allowed framework key; known: {string.Join(", ", ConfigurationKeys.OptionKeys.Order())}");
            }
        }
    }

    [Test]
    public void Secret_RedisPassword_IsSharedByRedisAndTheApiAndKeptOutOfTheUrl()
    {
        var secret = _k8s.Named<V1Secret>("crypto-secrets");
        var env = RedisContainer.Env.ToDictionary(e => e.Name, e => e.ValueFrom?.SecretKeyRef);
        var args = RedisContainer.Args.ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(secret.Data, Is.Null, "readable example values in stringData");
            Assert.That(secret.StringData.Keys, Is.EquivalentTo(new[] { "Redis__Password", "CoinGecko__ApiKey" }));
            Assert.That(secret.StringData["Redis__Password"], Is.Not.Empty);
            Assert.That((env["REDIS_PASSWORD"]?.Name, env["REDIS_PASSWORD"]?.Key), Is.EqualTo(("crypto-secrets", "Redis__Password")));
            Assert.That((env["REDISCLI_AUTH"]?.Name, env["REDISCLI_AUTH"]?.Key), Is.EqualTo(("crypto-secrets", "Redis__Password")), "the probes authenticate");
            Assert.That(args[args.IndexOf("--requirepass") + 1], Is.EqualTo("$(REDIS_PASSWORD)"));
            Assert.That(_k8s.Named<V1ConfigMap>("crypto-config").Data["REDIS_URL"], Is.EqualTo("redis://redis:6379"), "no password in the ConfigMap");
        }
    }

    [Test]
    public void Redis_Deployment_PersistsAnAppendOnlyFileOnRedisPvc()
    {
        var spec = Redis.Spec;
        var args = RedisContainer.Args.ToList();
        var data = RedisContainer.VolumeMounts.Single(m => m.MountPath == "/data");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Replicas, Is.EqualTo(1));
            Assert.That(spec.Strategy.Type, Is.EqualTo("Recreate"), "two Redis never share one ReadWriteOnce volume");
            Assert.That(args[args.IndexOf("--appendonly") + 1], Is.EqualTo("yes"));
            Assert.That(args[args.IndexOf("--appendfsync") + 1], Is.EqualTo("everysec"));
            Assert.That(args[args.IndexOf("--dir") + 1], Is.EqualTo("/data"));
            Assert.That(spec.Template.Spec.Volumes.Single(v => v.Name == data.Name).PersistentVolumeClaim?.ClaimName, Is.EqualTo("redis-pvc"));
            Assert.That(RedisContainer.ReadinessProbe, Is.Not.Null);
            Assert.That(RedisContainer.LivenessProbe, Is.Not.Null);
            Assert.That(RedisContainer.Ports.Single().ContainerPort, Is.EqualTo(6379));
            Assert.That(_k8s.Named<V1Service>("redis").Spec.Ports.Single().Port, Is.EqualTo(6379));
            AssertRequestsAndLimits(RedisContainer, "redis");
        }
    }

    [Test]
    public void RedisPvc_ClassSizeAndAccessMode_MatchRedisPv()
    {
        var pv = _k8s.Named<V1PersistentVolume>("redis-pv").Spec;
        var pvc = _k8s.Named<V1PersistentVolumeClaim>("redis-pvc").Spec;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pv.StorageClassName, Is.Not.Empty);
            Assert.That(pvc.StorageClassName, Is.EqualTo(pv.StorageClassName));
            Assert.That(pvc.VolumeName, Is.EqualTo("redis-pv"));
            Assert.That(pvc.AccessModes, Is.EquivalentTo(pv.AccessModes));
            Assert.That(pvc.Resources.Requests["storage"].ToDecimal(), Is.EqualTo(pv.Capacity["storage"].ToDecimal()));
            Assert.That(pv.PersistentVolumeReclaimPolicy, Is.EqualTo("Retain"), "deleting the claim keeps the data");
            Assert.That(pv.HostPath?.Path, Is.Not.Empty);
        }
    }

    [Test]
    public void NetworkPolicy_SelectsRedisPods_AndAdmitsOnlyApiPodsOn6379()
    {
        var policy = _k8s.All<V1NetworkPolicy>().Single().Spec;
        var rule = policy.Ingress.Single();
        var peer = rule.FromProperty.Single();
        var port = rule.Ports.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy.PolicyTypes, Is.EqualTo(new[] { "Ingress" }));
            Assert.That(K8sManifests.Selects(policy.PodSelector.MatchLabels, Redis.Spec.Template.Metadata.Labels), Is.True, "selects the Redis pods");
            Assert.That(K8sManifests.Selects(policy.PodSelector.MatchLabels, Api.Spec.Template.Metadata.Labels), Is.False, "not the API pods");
            Assert.That((peer.NamespaceSelector, peer.IpBlock), Is.EqualTo((default(V1LabelSelector), default(V1IPBlock))), "no other source");
            Assert.That(K8sManifests.Selects(peer.PodSelector.MatchLabels, Api.Spec.Template.Metadata.Labels), Is.True, "admits the API pods");
            Assert.That(PodSpecs.Where(p => K8sManifests.Selects(peer.PodSelector.MatchLabels, p.Labels)).Select(p => p.Owner), Is.EqualTo(new[] { $"Deployment/{ApiName}" }),
                "and no other pod, curltest included");
            Assert.That((port.Protocol, port.Port.Value), Is.EqualTo(("TCP", "6379")));
        }
    }

    [Test]
    public void PodDisruptionBudget_KeepsTwoApiPods()
    {
        var pdb = _k8s.All<V1PodDisruptionBudget>().Single().Spec;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pdb.MinAvailable.Value, Is.EqualTo("2"));
            Assert.That(K8sManifests.Selects(pdb.Selector.MatchLabels, Api.Spec.Template.Metadata.Labels), Is.True);
            Assert.That(Api.Spec.Replicas, Is.GreaterThan(2), "a drain can still move one pod");
        }
    }

    [Test]
    public void HorizontalPodAutoscaler_ScalesApiFrom3To10OnCpu70()
    {
        var hpa = _k8s.All<V2HorizontalPodAutoscaler>().Single();
        var metric = hpa.Spec.Metrics.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hpa.ApiVersion, Is.EqualTo("autoscaling/v2"));
            Assert.That((hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name), Is.EqualTo(("Deployment", ApiName)));
            Assert.That((hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas), Is.EqualTo((3, 10)));
            Assert.That(hpa.Spec.MinReplicas, Is.EqualTo(Api.Spec.Replicas), "the Deployment starts where the autoscaler's floor is");
            Assert.That((metric.Resource.Name, metric.Resource.Target.Type, metric.Resource.Target.AverageUtilization), Is.EqualTo(("cpu", "Utilization", 70)));
            Assert.That(ApiContainer.Resources.Requests.ContainsKey("cpu"), Is.True, "utilization is measured against the CPU request");
        }
    }

    [Test]
    public void Images_SetInOneComponent_CoverEveryContainer()
    {
        var images = Kustomization.Load(DeployPaths.K8sImages).Images.ToDictionary(i => i.Name);
        var containers = PodSpecs.SelectMany(p => p.Spec.Containers.Concat(p.Spec.InitContainers ?? []).Select(c => (p.Owner, c.Name, c.Image))).ToList();
        var placeholders = Directory.EnumerateFiles(DeployPaths.K8s, "*.yaml", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("YOUR_DOCKERHUB_USERNAME", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(DeployPaths.K8s, f));

        using (Assert.EnterMultipleScope())
        {
            foreach (var (owner, name, image) in containers)
            {
                Assert.That(images.Keys, Does.Contain(KustomizeImage.NameOf(image)), $"{owner}/{name}: image {image} is set by the images component");
            }

            Assert.That(ApiContainer.Image, Is.EqualTo("cryptocache-api"));
            Assert.That(_debug.Named<V1Pod>("curltest").Spec.Containers.Single().Image, Is.EqualTo("cryptocache-curl"));
            Assert.That(images["cryptocache-api"].NewName, Is.EqualTo("YOUR_DOCKERHUB_USERNAME/cryptocache-api"));
            Assert.That(images["cryptocache-curl"].NewName, Is.EqualTo("YOUR_DOCKERHUB_USERNAME/cryptocache-curl"));
            Assert.That(images.Values.Select(i => i.NewTag), Has.All.Not.Empty, "tags are pinned");
            Assert.That(placeholders, Is.EqualTo(new[] { Path.Combine("images", "kustomization.yaml") }), "the user name is replaced in one file");
        }
    }

    [Test]
    public void CurlTest_Pod_IsSmallAndLivesOnlyInDebug()
    {
        var pod = _debug.Named<V1Pod>("curltest");
        var container = pod.Spec.Containers.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_k8s.All<V1Pod>(), Is.Empty, "no bare Pod in the service's manifests");
            Assert.That(container.Command, Is.Not.Empty.And.Contains("sleep"), "stays up for kubectl exec");
            AssertRequestsAndLimits(container, "curltest");
            Assert.That(container.VolumeMounts.Single().MountPath, Is.EqualTo("/tmp"));
        }
    }

    private static bool IsRedisDataOwner(string owner, V1Container container) => owner == "Deployment/redis" && container.Name == "data-owner";

    private static void AssertRequestsAndLimits(V1Container container, string owner)
    {
        foreach (var resource in new[] { "cpu", "memory" })
        {
            Assert.That(container.Resources?.Requests?.ContainsKey(resource), Is.True, $"{owner}: requests.{resource}");
            Assert.That(container.Resources?.Limits?.ContainsKey(resource), Is.True, $"{owner}: limits.{resource}");
            Assert.That(container.Resources!.Limits![resource].ToDecimal(), Is.GreaterThanOrEqualTo(container.Resources.Requests![resource].ToDecimal()), $"{owner}: {resource} limit ≥ request");
        }
    }
}
