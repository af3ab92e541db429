using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace CryptoCache.Api.Configuration;

/// <summary>
/// <c>?coin=</c> is a mistake to report (400), not a request for the default coin: MVC would otherwise bind an empty
/// value as null, which the handlers read as "not given".
/// </summary>
internal sealed class KeepEmptyQueryValues : IDisplayMetadataProvider
{
    public void CreateDisplayMetadata(DisplayMetadataProviderContext context) =>
        context.DisplayMetadata.ConvertEmptyStringToNull = false;
}
