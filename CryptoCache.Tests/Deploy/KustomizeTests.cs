using CryptoCache.Tests.Support;
using k8s;
using k8s.Models;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// <c>kubectl kustomize</c> renders the manifests as <c>kubectl apply -k</c> would send them, and the rendered objects still
/// load strictly. Offline: no cluster is needed to render. Skipped, visibly, where kubectl is not installed.
/// </summary>
[TestFixture]
public sealed class KustomizeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private string _kubectl = null!;

    [OneTimeSetUp]
    public void FindKubectl()
    {
        var kubectl = Tool.Find("kubectl", "/usr/bin/kubectl");
        if (kubectl is null)
        {
            Assert.Ignore("kubectl is not installed (looked on PATH and at /usr/bin/kubectl), so 'kubectl kustomize deploy/k8s' was not rendered here. "
                          + "The manifests themselves are still checked by ManifestTests.");
        }

        _kubectl = kubectl!;
    }

    [Test]
    public async Task Kustomize_Default_RendersTheServiceWithImagesAndLabelsApplied()
    {
        var rendered = await RenderAsync(DeployPaths.K8s);
        var images = Kustomization.Load(DeployPaths.K8sImages).Images.ToDictionary(i => i.Name);

        var objects = rendered.Resources.Select(r => (IKubernetesObject<V1ObjectMeta>)r.Resource).Select(o => $"{o.Kind}/{o.Metadata.Name}");
        var api = rendered.Named<V1Deployment>("crypto-api");
        var redis = rendered.Named<V1Deployment>("redis");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(objects, Is.EquivalentTo(new[]
            {
                "ConfigMap/crypto-config", "Secret/crypto-secrets", "PersistentVolume/redis-pv", "PersistentVolumeClaim/redis-pvc",
                "Deployment/redis", "Service/redis", "NetworkPolicy/redis-from-api-only",
                "Deployment/crypto-api", "Service/crypto-api", "PodDisruptionBudget/crypto-api", "HorizontalPodAutoscaler/crypto-api",
            }));
            Assert.That(api.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo(images["cryptocache-api"].Rendered("cryptocache-api")));
            Assert.That(api.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo("YOUR_DOCKERHUB_USERNAME/cryptocache-api:1.0.0"));
            Assert.That(redis.Spec.Template.Spec.Containers.Concat(redis.Spec.Template.Spec.InitContainers).Select(c => c.Image), Has.All.EqualTo("redis:7-alpine"));
            foreach (var (_, resource) in rendered.Resources)
            {
                var meta = ((IKubernetesObject<V1ObjectMeta>)resource).Metadata;
                Assert.That(meta.Labels, Does.ContainKey("app.kubernetes.io/part-of"), meta.Name);
            }

            Assert.That(api.Spec.Template.Metadata.Labels, Does.ContainKey("app.kubernetes.io/part-of"), "pods are labelled too");
            Assert.That(api.Spec.Selector.MatchLabels.Keys, Is.EqualTo(new[] { "app" }), "selectors are left alone (they are immutable)");
        }
    }

    [Test]
    public async Task Kustomize_Debug_RendersOnlyTheCurltestPod()
    {
        var rendered = await RenderAsync(DeployPaths.K8sDebug);

        var pod = rendered.All<V1Pod>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered.Resources, Has.Count.EqualTo(1));
            Assert.That(pod.Metadata.Name, Is.EqualTo("curltest"));
            Assert.That(pod.Spec.Containers.Single().Image, Is.EqualTo("YOUR_DOCKERHUB_USERNAME/cryptocache-curl:1.0.0"));
        }
    }

    [Test]
    public async Task Kustomize_WithANamespace_PutsEverythingButThePersistentVolumeThere()
    {
        var overlay = Directory.CreateTempSubdirectory("cryptocache-kustomize-");
        try
        {
            var target = Path.GetRelativePath(overlay.FullName, DeployPaths.K8s).Replace(Path.DirectorySeparatorChar, '/');
            await File.WriteAllTextAsync(Path.Combine(overlay.FullName, "kustomization.yaml"), $"namespace: cryptocache\nresources:\n  - {target}\n");

            var rendered = await RenderAsync(overlay.FullName);

            foreach (var (_, resource) in rendered.Resources)
            {
                var o = (IKubernetesObject<V1ObjectMeta>)resource;
                Assert.That(o.Metadata.NamespaceProperty, Is.EqualTo(o is V1PersistentVolume ? null : "cryptocache"), $"{o.Kind}/{o.Metadata.Name}");
            }
        }
        finally
        {
            overlay.Delete(recursive: true);
        }
    }

    private async Task<K8sManifests> RenderAsync(string folder)
    {
        var result = await Tool.RunAsync(_kubectl, ["kustomize", folder], RepoPaths.Root, Timeout);
        Assert.That(result.ExitCode, Is.Zero, $"kubectl kustomize {folder}: {result}");
        return K8sManifests.LoadRendered(result.Output, $"kubectl kustomize {Path.GetRelativePath(RepoPaths.Root, folder)}");
    }
}
