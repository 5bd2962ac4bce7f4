"""Problems of messages: a message, an unsubscribe or survey link that does not exist, a
bad unsubscribe request or survey answer; templates that cannot be rendered, contexts and
brand kits."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError, UnauthorizedError


class MessageNotFoundError(NotFoundError):
    """The member has no message with this id."""

    code = "message_not_found"


class MessageNotResendableError(ConflictError):
    """Only a failed or not_configured message is resent, not a waiting, sent or stopped one."""

    code = "message_not_resendable"


class UnsubscribeLinkInvalidError(NotFoundError):
    """An unsubscribe link's token was not issued by this server or its message is gone."""

    code = "unsubscribe_link_invalid"


class PreferencesLinkInvalidError(NotFoundError):
    """A preferences link's token was not issued by this server or its member is gone."""

    code = "preferences_link_invalid"


class PreferencesFormInvalidError(InvalidRequestError):
    """A preference-centre POST is not the page's form (it lacks save=1)."""

    code = "preferences_form_invalid"


class ProviderEventsNotConfiguredError(NotFoundError):
    """A provider's inbound route is not set up: its secret or auth token is not configured."""

    code = "provider_events_not_configured"


class ProviderEventsUnauthorizedError(UnauthorizedError):
    """A provider's inbound request has no valid credentials or signature."""

    code = "provider_events_unauthorized"


class ProviderEventsInvalidError(InvalidRequestError):
    """A provider's inbound request is not in the provider's documented format."""

    code = "provider_events_invalid"


class UnsubscribeBodyInvalidError(InvalidRequestError):
    """A one-click unsubscribe POST does not carry the body List-Unsubscribe=One-Click."""

    code = "unsubscribe_body_invalid"


# -- templates and their rendering (rendering.py) -----------------------------------------
class TemplateNotFoundError(NotFoundError):
    """No template has this key (the keys are those of ``messages.contexts.TemplateKey``)."""

    code = "template_not_found"


class TemplateSyntaxInvalidError(InvalidRequestError):
    """A template's source is not valid Jinja (an unclosed tag, an unknown filter…)."""

    code = "template_syntax_invalid"


class TemplateVariableUndefinedError(InvalidRequestError):
    """A template uses a variable or attribute its context does not have."""

    code = "template_variable_undefined"


class TemplateUnsafeError(InvalidRequestError):
    """A template reaches for something the sandbox forbids (private attributes, unsafe calls)."""

    code = "template_unsafe"


class TemplateOutputTooLargeError(InvalidRequestError):
    """A template's output, or a value it builds, is larger than the render limit."""

    code = "template_output_too_large"


class TemplateRenderTooLongError(InvalidRequestError):
    """A template takes more loop steps and calls, or more time, than the render limit."""

    code = "template_render_too_long"


class TemplateRenderFailedError(InvalidRequestError):
    """A template fails on its context: a filter given a wrong value, a division by zero."""

    code = "template_render_failed"


class TemplatePartsInvalidError(InvalidRequestError):
    """A template version leaves out a part the template has, or gives one it has not."""

    code = "template_parts_invalid"


class TemplatesInvalidError(InvalidRequestError):
    """A program file's templates do not compile, render their sample data or fit their parts."""

    code = "templates_invalid"


class TemplateContextInvalidError(InvalidRequestError):
    """A context given for a template does not have the shape the template expects."""

    code = "template_context_invalid"


class BrandInvalidError(InvalidRequestError):
    """A brand kit has a colour that is not #rgb/#rrggbb or a link that is not http(s)."""

    code = "brand_invalid"


# -- journey settings (journeyconf.py) ------------------------------------------------------
class JourneyNotFoundError(NotFoundError):
    """No journey has this name (the names of ``journeyconf.JourneysConfig``)."""

    code = "journey_not_found"


class JourneySettingsInvalidError(InvalidRequestError):
    """Journey settings name a rule or coupon campaign that does not exist."""

    code = "journey_settings_invalid"


# -- webhook endpoints ---------------------------------------------------------------------
class WebhookEndpointNotFoundError(NotFoundError):
    """No webhook endpoint has this id."""

    code = "webhook_endpoint_not_found"


class WebhookUrlRefusedError(InvalidRequestError):
    """A webhook URL is not http(s), does not resolve, or reaches a refused address."""

    code = "webhook_url_refused"


class SurveyLinkInvalidError(NotFoundError):
    """A survey link's token was not issued by this server or its member is gone."""

    code = "survey_link_invalid"


class SurveyAnswerInvalidError(InvalidRequestError):
    """A survey answer's score is not a whole number from 0 to 10."""

    code = "survey_answer_invalid"
