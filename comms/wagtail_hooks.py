"""Admin hooks shared by the apps: pages that go live only through approval offer no Publish."""

from wagtail import hooks

from comms.services.feeds import FEED_TOKEN_REPLACE_ACTION


@hooks.register("construct_page_action_menu")
def publish_only_through_approval(menu_items, request, context):
    """A page type with ``publish_requires_approval`` (posts, newsletter issues) goes live only
    when someone other than its author approves it, so the editor offers no "Publish" (the
    form refuses a forged one too: ``comms.guard``)."""
    page = context.get("page")
    model = (getattr(page, "specific_class", None) or type(page)) if page is not None else None
    if model is not None and getattr(model, "publish_requires_approval", False):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
        # WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT drops Wagtail's "and Publish" from the
        # label; approving the last step does publish, so say so.
        state = page.current_workflow_state
        if state is not None and state.is_at_final_task:
            for item in menu_items:
                if getattr(item, "name", None) == "approve":
                    item.label = f"{item.label} and publish"


@hooks.register("register_log_actions")
def comms_log_actions(actions):
    actions.register_action(
        "comms.publish.scheduled_refused",
        "Scheduled publishing refused",
        "Taken off the schedule: the version due to go live failed its checks or was not approved",
    )
    actions.register_action(
        FEED_TOKEN_REPLACE_ACTION,
        "Feed address replaced",
        "Replaced their personal feed address (the old one no longer works)",
    )
