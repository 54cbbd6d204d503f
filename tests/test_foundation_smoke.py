async def test_demo_secretary_gets_help(demo, chat_as):
    bithu = chat_as("bithu")
    text = await bithu.say("/trogiup")
    assert "bí thư chi bộ" in text
    assert "/nguon" in text
