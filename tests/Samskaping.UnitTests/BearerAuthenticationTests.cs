using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Samskaping.Benefits.Inbound;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests;

/// <summary>
/// Token authentication without Data Protection's key ring at start: the hosted service that loads (and on a first
/// start creates and writes) an XML key ring is not registered, however many schemes a service adds.
/// </summary>
public sealed class BearerAuthenticationTests
{
    [Fact]
    public void Plain_AddAuthentication_registers_the_key_ring_at_start()
    {
        // What the framework does on its own: the reason AddBearerAuthentication exists, and proof the checks below
        // would see the hosted service if it were there.
        var services = new ServiceCollection();
        services.AddAuthentication().AddJwtBearer();

        KeyRingAtStart(services).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_service_with_the_defaults_and_a_second_scheme_has_no_key_ring_at_start()
    {
        // As the benefits service builds itself: the staff scheme from the defaults, then the benefit system's
        // scheme, whose AddAuthentication() would otherwise add the hosted service back.
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults();
        builder.AddInboundAuthentication();

        KeyRingAtStart(builder.Services).ShouldBeEmpty();

        using var provider = builder.Services.BuildServiceProvider();
        var schemes = provider.GetRequiredService<IAuthenticationSchemeProvider>();
        (await schemes.GetDefaultAuthenticateSchemeAsync())!.Name.ShouldBe(JwtBearerDefaults.AuthenticationScheme);
        (await schemes.GetSchemeAsync(InboundAuthentication.Scheme)).ShouldNotBeNull();
        provider.GetServices<IHostedService>().ShouldNotContain(s => s.GetType().Assembly == typeof(DataProtectionOptions).Assembly);
    }

    private static List<ServiceDescriptor> KeyRingAtStart(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Assembly == typeof(DataProtectionOptions).Assembly).ToList();
}
