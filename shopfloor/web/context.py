def shopfloor(request):
    """Template context every page gets."""
    from shopfloor.models import Source

    return {"demo_mode": Source.objects.filter(is_demo=True).exists()}
