def shopfloor(request):
    """Template context every page gets: whether the demo is loaded, whether the reader has
    a union workspace (for the menu), and which form drafts the page should forget."""
    from shopfloor.models import Membership, Source
    from shopfloor.web import drafts

    user = getattr(request, "user", None)
    has_workspace = bool(user is not None and user.is_authenticated and (
        user.is_staff or Membership.objects.filter(
            user=user, is_active=True,
            role__in=("admin", "researcher", "union_rep")).exists()))
    return {"demo_mode": Source.objects.filter(is_demo=True).exists(),
            "has_workspace": has_workspace, "clear_drafts": drafts.pop_saved(request)}
