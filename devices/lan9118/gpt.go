package lan9118

// The general-purpose timer (datasheet 5.3.13): when GPT_CFG.TIMER_EN is
// set it counts down from GPT_LOAD at 10 kHz, and at zero sets GPT_INT
// (only while INT_EN.GPT_INT_EN is set, as QEMU) and wraps to 0xffff.

const (
	gptTimerEn = 1 << 29
	gptTick    = 1_000_000_000 / gptHz // ns
	gptWrap    = 0xffff                // ticks from one zero to the next
)

func (d *Device) writeGPTCfg(val uint32) {
	if (d.gptCfg^val)&gptTimerEn != 0 {
		if val&gptTimerEn != 0 {
			d.startGPT(d.clk.Now(), val&0xffff)
		} else {
			d.stopGPT()
		}
	}
	d.gptCfg = val & (gptTimerEn | 0xffff)
}

// startGPT starts the timer at now with count ticks to its next zero.
func (d *Device) startGPT(now uint64, count uint32) {
	d.stopGPT()
	d.gpt.running = true
	d.gpt.zeroAt = now + uint64(count)*gptTick
	d.gpt.ev = d.clk.Schedule(d.gpt.zeroAt, d.gptExpired)
}

func (d *Device) stopGPT() {
	if d.gpt.ev != nil {
		d.clk.Cancel(d.gpt.ev)
	}
	d.gpt = gpt{}
}

func (d *Device) gptExpired() {
	if d.intEn&intGPT != 0 {
		d.intSts |= intGPT
	}
	d.gpt.zeroAt += gptWrap * gptTick
	d.gpt.ev = d.clk.Schedule(d.gpt.zeroAt, d.gptExpired)
	d.update()
}

// gptCount is GPT_CNT at now: 0xffff while stopped.
func (d *Device) gptCount(now uint64) uint32 {
	if !d.gpt.running {
		return 0xffff
	}
	if now < d.gpt.zeroAt {
		return uint32((d.gpt.zeroAt - now + gptTick - 1) / gptTick)
	}
	// The expiry event has not run yet (it is due): count on from
	// 0xffff as it will.
	return gptWrap - uint32((now-d.gpt.zeroAt)/gptTick%gptWrap)
}
