using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace CryptoCache.Api.Management;

/// <summary>With the management port turned off, its controllers do not exist at all, rather than fall back to the public port.</summary>
internal sealed class ManagementControllersConvention(bool enabled) : IApplicationModelConvention
{
    public void Apply(ApplicationModel application)
    {
        if (enabled)
        {
            return;
        }

        foreach (var controller in application.Controllers.Where(c => c.Attributes.OfType<ManagementOnlyAttribute>().Any()).ToList())
        {
            application.Controllers.Remove(controller);
        }
    }
}
