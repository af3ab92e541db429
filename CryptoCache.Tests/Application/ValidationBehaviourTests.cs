using CryptoCache.Application.Behaviours;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CryptoCache.Tests.Application;

public sealed class ValidationBehaviourTests
{
    public sealed record Ping(string Value) : IRequest<string>;

    [Test]
    public void Handle_ValidatorFails_ThrowsAndSkipsTheHandler()
    {
        var validator = new Mock<IValidator<Ping>>();
        validator.Setup(v => v.ValidateAsync(It.IsAny<IValidationContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ValidationResult([new ValidationFailure("value", "bad")]));
        var behaviour = new ValidationBehaviour<Ping, string>([validator.Object], NullLogger<ValidationBehaviour<Ping, string>>.Instance);
        var handlerCalled = false;

        Assert.That(() => behaviour.Handle(new Ping("x"), CancellationToken.None, () => { handlerCalled = true; return Task.FromResult("pong"); }),
            Throws.TypeOf<ValidationException>());
        Assert.That(handlerCalled, Is.False);
    }

    [Test]
    public async Task Handle_AllValidatorsPass_CallsTheHandler()
    {
        var validator = new Mock<IValidator<Ping>>();
        validator.Setup(v => v.ValidateAsync(It.IsAny<IValidationContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(new ValidationResult());
        var behaviour = new ValidationBehaviour<Ping, string>([validator.Object, validator.Object], NullLogger<ValidationBehaviour<Ping, string>>.Instance);

        var result = await behaviour.Handle(new Ping("x"), CancellationToken.None, () => Task.FromResult("pong"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo("pong"));
            validator.Verify(v => v.ValidateAsync(It.IsAny<IValidationContext>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        }
    }

    [Test]
    public async Task Handle_EveryValidatorCertainOfValidity_SkipsTheirRules()
    {
        var validator = Certain(true);
        var behaviour = new ValidationBehaviour<Ping, string>([validator.Object, validator.Object], NullLogger<ValidationBehaviour<Ping, string>>.Instance);

        var result = await behaviour.Handle(new Ping("x"), CancellationToken.None, () => Task.FromResult("pong"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo("pong"));
            validator.Verify(v => v.ValidateAsync(It.IsAny<IValidationContext>(), It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public void Handle_OneValidatorUnsure_RunsTheRulesOfAll()
    {
        var sure = Certain(true);
        var unsure = Certain(false, new ValidationFailure("value", "bad"));
        var behaviour = new ValidationBehaviour<Ping, string>([sure.Object, unsure.Object], NullLogger<ValidationBehaviour<Ping, string>>.Instance);

        Assert.That(() => behaviour.Handle(new Ping("x"), CancellationToken.None, () => Task.FromResult("pong")), Throws.TypeOf<ValidationException>());
        sure.Verify(v => v.ValidateAsync(It.IsAny<IValidationContext>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public void Handle_OneValidatorWithoutShortcut_RunsTheRulesOfAll()
    {
        var sure = Certain(true);
        var plain = new Mock<IValidator<Ping>>();
        plain.Setup(v => v.ValidateAsync(It.IsAny<IValidationContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ValidationResult([new ValidationFailure("value", "bad")]));
        var behaviour = new ValidationBehaviour<Ping, string>([sure.Object, plain.Object], NullLogger<ValidationBehaviour<Ping, string>>.Instance);

        Assert.That(() => behaviour.Handle(new Ping("x"), CancellationToken.None, () => Task.FromResult("pong")), Throws.TypeOf<ValidationException>());
    }

    /// <summary>A validator with a shortcut answering <paramref name="certain"/>, whose rules report <paramref name="failures"/>.</summary>
    private static Mock<IValidator<Ping>> Certain(bool certain, params ValidationFailure[] failures)
    {
        var validator = new Mock<IValidator<Ping>>();
        validator.Setup(v => v.ValidateAsync(It.IsAny<IValidationContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(new ValidationResult(failures));
        validator.As<IValidationShortcut<Ping>>().Setup(s => s.IsCertainlyValid(It.IsAny<Ping>())).Returns(certain);
        return validator;
    }
}
